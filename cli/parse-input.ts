import { UsageError } from "./exit-codes.ts";

/** `--input '<json>'`: a JSON object keyed by the workflow's parameter names. */
export function parseInput(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input is not valid JSON (${(error as Error).message}): ${text}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`--input must be a JSON object keyed by parameter name, e.g. '{"userId": "u1"}'; got: ${text}`);
  }
  return value as Record<string, unknown>;
}

/** Rejects keys the workflow has no parameter for: almost always a typo. */
export function checkInputKeys(input: Record<string, unknown>, workflow: string, params: readonly string[]): void {
  const unknown = Object.keys(input).filter((key) => !params.includes(key));
  if (unknown.length > 0) {
    const takes = params.length > 0 ? `takes (${params.join(", ")})` : "takes no parameters";
    throw new UsageError(`--input: workflow ${workflow} ${takes}; unknown key(s): ${unknown.join(", ")}`);
  }
}
