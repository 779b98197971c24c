import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Rules, Situations, buildConflicts, formatDiagnostics } from "../plugin/index.ts";

/**
 * The diagnostics table's promises: every sentence a user reads is written in the
 * table (a call site passes values, never wording), every situation says which
 * values it takes, and every code has a situation that reports it.
 */
const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

describe("the situations of the diagnostics table", () => {
  const entries = Object.entries(Situations);

  it("use exactly the values they declare", () => {
    const mismatched = entries.filter(([, s]) => {
      const used = new Set([...placeholders(s.message), ...placeholders(s.hint)]);
      return [...used].sort().join() !== [...new Set<string>(s.params)].sort().join();
    });
    expect(mismatched.map(([name]) => name)).toEqual([]);
  });

  it("have their own wording: no message or hint is a bare placeholder (the parser's own message aside)", () => {
    const bare = entries.filter(([name, s]) => name !== "syntax" && [s.message, s.hint].some((t) => /^\{\w+\}$/.test(t)));
    expect(bare.map(([name]) => name)).toEqual([]);
  });

  it("cover every rule, and every rule keeps one code", () => {
    const reported = new Set(entries.map(([, s]) => s.rule));
    expect(Object.keys(Rules).filter((r) => !reported.has(r as keyof typeof Rules))).toEqual([]);
    const codes = Object.values(Rules).map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("are each reported somewhere in the compiler", () => {
    const plugin = fileURLToPath(new URL("../plugin/", import.meta.url));
    const files = readdirSync(plugin, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.startsWith("diagnostics"));
    const text = files.map((f) => readFileSync(`${plugin}/${f}`, "utf8")).join("\n");
    const unused = entries.filter(([name]) => !text.includes(`"${name}"`));
    expect(unused.map(([name]) => name)).toEqual([]);
  });
});

describe("clashes between the files of a build", () => {
  it("are coded diagnostics about a whole file, shown by the one formatter without a position", () => {
    const at = (file: string) => `/p/${file}`;
    const send = (file: string) => ({ name: "send", file: at(file), exportName: "send" });
    const ds = buildConflicts([
      { file: at("a.ts"), workflows: ["w"], actions: [send("a.ts")] },
      { file: at("b.ts"), workflows: ["w"], actions: [send("b.ts")] },
    ], "/p");
    expect(ds.map((d) => [d.code, d.file, d.line, d.column])).toEqual([["CAIRN119", at("a.ts"), 0, 0], ["CAIRN117", at("a.ts"), 0, 0]]);
    expect(formatDiagnostics(ds, { cwd: "/p", sources: new Map([[at("a.ts"), "x"]]) })).toBe(
      "a.ts: error CAIRN119: the workflow name `w` is defined more than once (a.ts, b.ts); a worker finds a workflow by its name, so names must be unique in a build\n" +
        "  hint: give each workflow its own name\n\n" +
        "a.ts: error CAIRN117: two different actions are named `send`: `send` of a.ts (called by a.ts) and `send` of b.ts (called by b.ts); " +
        "a worker finds an action by its name, so one of them would run for both\n" +
        '  hint: give one of them a name of its own: `action("send-2", ...)`',
    );
  });
});
