import type { Json } from "../../ir-schema/index.ts";
import type { ErrorValue } from "../interpreter/errors.ts";

/** Progress of a local run; `at` is the runner's clock (virtual or real ms). */
export type LocalEvent =
  | { type: "dispatch"; at: number; callId: string; action: string; args: Json[] }
  | { type: "attempt"; at: number; callId: string; action: string; attempt: number }
  | { type: "retry"; at: number; callId: string; action: string; attempt: number; delay: number; error: ErrorValue }
  | { type: "resolve"; at: number; callId: string; action: string; attempts: number; ok: boolean; error?: ErrorValue }
  | { type: "sleep"; at: number; until: number }
  | { type: "complete"; at: number; result?: Json }
  | { type: "fail"; at: number; error: ErrorValue };
