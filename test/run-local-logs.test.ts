/**
 * console.log and friends in a workflow body: compiled to `log` instructions,
 * returned by `advance` as they run, and printed by runLocal to stderr, prefixed
 * with the workflow's name, in the order plain JavaScript prints them, each once
 * (a suspension between two logs repeats neither).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { advance, resolve, start } from "../runtime/interpreter/index.ts";
import type { LogEntry } from "../runtime/interpreter/state.ts";
import { compileSingle, importActions, runCompiled } from "./helpers/compiled.ts";
import { ACCEPT_DIR } from "./helpers/fixtures.ts";
import { runPlain } from "./helpers/plain-run.ts";

const file = join(ACCEPT_DIR, "console-logging", "input.ts");
const { artifact, result } = compileSingle(file, readFileSync(file, "utf8"));
const LEVELS = ["log", "info", "warn", "error", "debug"] as const;

/** Stack frames are where the two runs differ by nature: a compiled workflow's errors have none. */
const withoutStacks = (text: string): string[] => text.split("\n").filter((line) => !/^\s+at /.test(line));

async function plainLines(input: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  for (const level of LEVELS) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(...withoutStacks(format(...args))));
  await runPlain(file, input);
  vi.restoreAllMocks();
  return lines;
}

async function runLocalLines(input: Record<string, unknown>): Promise<string[]> {
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await runCompiled(artifact, await importActions(result), input);
  } finally {
    vi.restoreAllMocks();
  }
  return stderr.split("\n").slice(0, -1);
}

afterEach(() => vi.restoreAllMocks());

describe("console logging in a workflow body", () => {
  it("compiles to log instructions with their level, site and loop counters", () => {
    const logs = artifact.program.blocks.flatMap((b) => b.instrs).filter((i) => i.kind === "log");
    expect(logs.map((l) => `${l.level} ${l.site} [${l.iter.join(",")}]`)).toEqual([
      "info l1 []", "log l2 [%i1]", "warn l3 []", "debug l4 []", "error l5 []",
    ]);
  });

  it("runLocal prints each line once, prefixed, in the order plain JavaScript prints them", async () => {
    const input = { names: ["ann", "bo"] };
    const expected = await plainLines(input);
    const printed = await runLocalLines(input);
    expect(printed.every((line) => line.startsWith("[consoleLogging] "))).toBe(true);
    expect(printed.map((line) => line.slice("[consoleLogging] ".length))).toEqual(expected);
    expect(expected).toEqual([
      "scoring 2 players",
      "#0 ann scored 30 { name: 'ann', score: 30 }",
      "#1 bo scored 20 { name: 'bo', score: 20 }",
      "done: 50 [ 50 ]",
      expect.stringMatching(/^caught SyntaxError: /),
    ]);
  });

  it("prints warnings and errors to stderr too, and nothing to stdout", async () => {
    const stdout = vi.spyOn(process.stdout, "write");
    const printed = await runLocalLines({ names: [] });
    expect(printed).toContain("[consoleLogging] no points at all");
    expect(stdout).not.toHaveBeenCalled();
  });

  it("advance returns the logs of its own step only, with their position and argument values", () => {
    const state = start(artifact, { names: ["ann"] });
    const seen: LogEntry[][] = [];
    for (;;) {
      const step = advance(artifact, state, 0);
      seen.push(step.logs);
      if (state.status !== "waiting") break;
      for (const d of step.dispatch) resolve(state, d.callId, { ok: true, value: (d.args[0] as string).length * 10 });
    }
    expect(state.status).toBe("completed");
    expect(seen.map((logs) => logs.map((l) => `${l.level}@${l.callPosition}`))).toEqual([
      ["info@l1"],
      ["log@l2@0"],
      ["debug@l4", "error@l5"],
    ]);
    const [entry] = seen[1];
    expect(entry.loc).toBe("fixtures/accept/console-logging/input.ts:15:5");
    expect(entry.args).toEqual(["#0 %s scored %d", "ann", 30, { name: "ann", score: 30 }]);
  });
});
