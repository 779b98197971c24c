/**
 * What `client.start(workflow, ...)` was given, as the instance's input keyed by
 * parameter name. Two forms:
 * - positional, typed from the workflow's own signature: `start(onboarding, "u1", "pro")`;
 *   the arguments are mapped to the artifact's parameter names in order;
 * - name-keyed (the CLI's JSON form, and the only form for an artifact or a
 *   registered name): `start(artifact, { userId: "u1" }, { idempotencyKey })`.
 * A compiled handle takes both: a single plain object whose keys are all parameter
 * names (optionally followed by `{ idempotencyKey }`) is the name-keyed form. Plain
 * JavaScript gets the type checker's errors at run time: too many arguments, a
 * key that is no parameter, options that are no options.
 */
import type { Artifact } from "../../ir-schema/index.ts";
import type { WorkflowLike } from "../api/compiled.ts";

export interface StartOptions {
  /** At most one instance per key: a repeated key returns the instance it started. */
  idempotencyKey?: string;
}

export interface StartArguments {
  input: Record<string, unknown>;
  options: StartOptions;
}

const OPTION_KEYS = new Set(["idempotencyKey"]);

/** `ref` names its workflow by an artifact or a registered name: only the name-keyed form applies. */
export function isNameKeyedOnly(ref: WorkflowLike | string): boolean {
  return typeof ref === "string" || (typeof ref === "object" && ref !== null && "program" in ref);
}

export function startArguments(artifact: Artifact, nameKeyedOnly: boolean, args: readonly unknown[], fixed?: StartOptions): StartArguments {
  const params = artifact.params;
  if (nameKeyedOnly) {
    if (args.length > 2) throw new TypeError(`client.start(${artifact.name}, input, options): takes an input object and options, got ${args.length} arguments`);
    return { input: nameKeyedInput(args[0]), options: startOptions(args[1], artifact.name) };
  }
  if (fixed === undefined && isNameKeyed(args, params)) {
    return { input: (args[0] ?? {}) as Record<string, unknown>, options: startOptions(args[1], artifact.name) };
  }
  if (args.length > params.length) {
    throw new TypeError(
      `workflow ${artifact.name} takes ${params.length} argument${params.length === 1 ? "" : "s"} (${params.join(", ")}), got ${args.length}`,
    );
  }
  // Arguments left out stay out: a parameter with a default may be left out, a required one is an InvalidInputError.
  const input = Object.fromEntries(args.map((value, i) => [params[i]!, value]));
  return { input, options: fixed ?? {} };
}

/** `(obj)` or `(obj, { idempotencyKey })` with every key of obj a parameter name (at least one, unless the workflow takes none). */
function isNameKeyed(args: readonly unknown[], params: readonly string[]): boolean {
  if (args.length === 0 || args.length > 2 || !isPlainObject(args[0])) return false;
  const keys = Object.keys(args[0]);
  if (!keys.every((k) => params.includes(k)) || (keys.length === 0 && params.length > 0)) return false;
  return args.length === 1 || args[1] === undefined || (isPlainObject(args[1]) && Object.keys(args[1]).every((k) => OPTION_KEYS.has(k)));
}

/** As given: the engine checks it (an object keyed by parameter name, no unknown key, every required one). */
function nameKeyedInput(input: unknown): Record<string, unknown> {
  return (input ?? {}) as Record<string, unknown>;
}

function startOptions(options: unknown, workflow: string): StartOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options) || !Object.keys(options).every((k) => OPTION_KEYS.has(k))) {
    throw new TypeError(`client.start(${workflow}, input, options): options may hold idempotencyKey only, not ${describe(options)}`);
  }
  const key = options.idempotencyKey;
  if (key !== undefined && typeof key !== "string") throw new TypeError(`client.start(${workflow}): idempotencyKey must be a string, not ${describe(key)}`);
  return key === undefined ? {} : { idempotencyKey: key };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `{ ${Object.keys(value).join(", ")} }`;
  return typeof value === "string" ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}
