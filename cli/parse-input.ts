import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./exit-codes.ts";

/**
 * `--input '<json>'`: a JSON object keyed by the workflow's parameter names. Also
 * `--input @file.json` (relative to `cwd`) and `--input -` (standard input), as
 * curl takes them, for input too large for a command line (an argument is at most
 * 128 KiB on Linux) or made by another program. No JSON text starts with `@` or is
 * `-`, so neither can be mistaken for input.
 */
export function parseInput(arg: string | undefined, cwd: string): Record<string, unknown> {
  if (arg === undefined) return {};
  const { value, text } = readJsonArg("--input", arg, cwd);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`${described("--input", arg)} must be a JSON object keyed by parameter name, e.g. '{"userId": "u1"}'; got: ${excerpt(text)}`);
  }
  return value as Record<string, unknown>;
}

/** A JSON value given to `flag` as text, `@file` (relative to `cwd`) or `-` (standard input); see parseInput. */
export function parseJsonArg(flag: string, arg: string, cwd: string): unknown {
  return readJsonArg(flag, arg, cwd).value;
}

function readJsonArg(flag: string, arg: string, cwd: string): { value: unknown; text: string } {
  const from = arg === "-" ? "standard input" : arg.startsWith("@") ? arg.slice(1) : null;
  let text = arg;
  if (from !== null) {
    try {
      text = readFileSync(arg === "-" ? 0 : resolve(cwd, from), "utf8");
    } catch (error) {
      throw new UsageError(`${flag} ${arg}: cannot read ${from} (${(error as Error).message})`);
    }
  }
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    throw new UsageError(`${described(flag, arg)} is not valid JSON (${(error as Error).message}): ${excerpt(text)}`);
  }
}

function described(flag: string, arg: string): string {
  return arg === "-" || arg.startsWith("@") ? `${flag} ${arg}` : flag;
}

/** The start of `text` for an error message: a bad input file may be megabytes. */
function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= 200 ? trimmed : `${trimmed.slice(0, 200)}... (${trimmed.length} characters)`;
}

/** Rejects keys the workflow has no parameter for: almost always a typo. */
export function checkInputKeys(input: Record<string, unknown>, workflow: string, params: readonly string[]): void {
  const unknown = Object.keys(input).filter((key) => !params.includes(key));
  if (unknown.length > 0) {
    const takes = params.length > 0 ? `takes (${params.join(", ")})` : "takes no parameters";
    throw new UsageError(`--input: workflow ${workflow} ${takes}; unknown key(s): ${unknown.join(", ")}`);
  }
}
