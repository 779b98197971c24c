import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, createModuleCache, formatDiagnostics, nodeResolver } from "../plugin/index.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const rejectDir = join(repo, "fixtures/reject");
const update = process.env.UPDATE === "1" && !process.env.CI;

/** The code every diagnostic of a fixture must have; "multiple-errors" mixes rules on purpose. */
const CODES: Record<string, string[]> = {
  "syntax-error": ["CAIRN001"],
  "nondeterministic-call": ["CAIRN100"],
  "not-an-action": ["CAIRN101"],
  "new-expression": ["CAIRN102"],
  "throw-not-caught": ["CAIRN103"],
  "nested-function": ["CAIRN104"],
  generator: ["CAIRN105"],
  delete: ["CAIRN106"],
  "with-using": ["CAIRN107"],
  "assignment-in-expression": ["CAIRN108"],
  "module-binding": ["CAIRN109"],
  "handle-as-value": ["CAIRN110"],
  "void-result": ["CAIRN111"],
  "anonymous-action": ["CAIRN112"],
  "unsupported-syntax": ["CAIRN113"],
  "primitive-misuse": ["CAIRN114"],
  "workflow-param": ["CAIRN115"],
  "workflow-definition": ["CAIRN116"],
  "action-name-clash": ["CAIRN117"],
  "child-workflow-call": ["CAIRN120"],
  "message-misuse": ["CAIRN121"],
  "step-as-value": ["CAIRN110"],
  "return-in-try": ["CAIRN110"],
  "step-dropped": ["CAIRN114"],
  "workflow-not-visible": ["CAIRN101"],
  "multiple-errors": ["CAIRN100", "CAIRN103", "CAIRN104", "CAIRN106", "CAIRN110"],
};

describe("rejected fixtures (fixtures/reject/<rule>/input.ts -> diagnostics.txt)", () => {
  const cache = createModuleCache();
  const resolver = nodeResolver(repo);
  const dirs = readdirSync(rejectDir).sort();

  it("has a fixture for every rule in the table above and no unlisted fixture", () => {
    expect(dirs).toEqual(Object.keys(CODES).sort());
  });

  for (const dir of dirs) {
    it(dir, () => {
      const file = join(rejectDir, dir, "input.ts");
      const source = readFileSync(file, "utf8");
      const result = compile(source, file, resolver, { cache });
      expect([...new Set(result.diagnostics.map((d) => d.code))].sort()).toEqual(CODES[dir]);
      const text = formatDiagnostics(result.diagnostics, { cwd: repo, sources: new Map([[file, source]]) }) + "\n";
      const expectedFile = join(rejectDir, dir, "diagnostics.txt");
      if (update || !existsSync(expectedFile)) {
        if (!update) throw new Error(`${expectedFile} is missing; run with UPDATE=1 to create it`);
        writeFileSync(expectedFile, text);
      }
      expect(text).toBe(readFileSync(expectedFile, "utf8"));
    });
  }
});
