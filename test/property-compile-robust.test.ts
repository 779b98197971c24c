/**
 * Property: compile() is total. Whatever text it is given (random strings, or real
 * fixture sources with pieces deleted, duplicated or spliced in) it returns
 * diagnostics instead of throwing, and every diagnostic is well formed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import { validateArtifact } from "../ir-schema/index.ts";
import { compileFile } from "./helpers/compiled.ts";
import { loadFixtures, REPO_ROOT } from "./helpers/fixtures.ts";
import { applyMutations, lineMutationsArbitrary, mutationsArbitrary } from "./helpers/mutate.ts";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

function expectWellFormed(file: string, source: string): void {
  const result = compileFile(file, source);
  for (const d of result.diagnostics) {
    expect(d.code, d.message).toMatch(/^CAIRN\d{3}$/);
    expect(d.line, d.message).toBeGreaterThanOrEqual(1);
    expect(d.column, d.message).toBeGreaterThanOrEqual(1);
    expect(typeof d.message === "string" && d.message.length > 0, `message of ${d.code}`).toBe(true);
  }
  const positions = result.diagnostics.map((d) => [d.line, d.column]);
  const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  expect(positions, "diagnostics are sorted by line and column").toEqual(sorted);
  for (const artifact of result.workflows) {
    const v = validateArtifact(artifact);
    expect(v.ok ? [] : v.errors).toEqual([]);
  }
}

test("arbitrary text never makes compile() throw", () => {
  const file = join(REPO_ROOT, "test", "tmp", "robust.ts");
  fc.assert(
    fc.property(fc.string({ maxLength: 200, unit: "binary" }), (text) => expectWellFormed(file, text)),
    { numRuns: 300, seed },
  );
});

const fixtures = loadFixtures().map((f) => ({ file: f.inputFile, source: readFileSync(f.inputFile, "utf8") }));

test.each([
  ["spliced and cut", mutationsArbitrary],
  ["with statements inserted", lineMutationsArbitrary],
])("fixture sources %s never make compile() throw", (_, mutations) => {
  fc.assert(
    fc.property(fc.constantFrom(...fixtures), mutations, (fixture, ms) =>
      expectWellFormed(fixture.file, applyMutations(fixture.source, ms)),
    ),
    { numRuns: 400, seed },
  );
});
