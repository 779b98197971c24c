/**
 * Fidelity: a compiled workflow means what its source means as plain JavaScript.
 * Every accepted fixture case runs twice, once as the imported module (actions
 * called directly, runAction returning its call, sleep a timer) and once compiled
 * under runLocal, and the two outcomes must be identical as JSON (errors: name and
 * message). Cases marked runtimeOnly (timeouts, which plain JS does not enforce)
 * are left to the fixture test.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import type { Artifact } from "../ir-schema/index.ts";
import { compileSingle, importActions, runCompiled } from "./helpers/compiled.ts";
import { canonicalOutcome, loadFixtures, settle } from "./helpers/fixtures.ts";
import { runPlain } from "./helpers/plain-run.ts";

const fixtures = loadFixtures()
  .map((f) => ({ ...f, cases: f.cases.filter((c) => !c.runtimeOnly) }))
  .filter((f) => f.cases.length > 0);

test("almost every fixture takes part", () => {
  expect(loadFixtures().length - fixtures.length).toBeLessThanOrEqual(2);
});

describe.each(fixtures)("$name", (fixture) => {
  const compiled: { artifact?: Artifact; actions?: unknown[] } = {};

  beforeAll(async () => {
    const { artifact, result } = compileSingle(fixture.inputFile, readFileSync(fixture.inputFile, "utf8"));
    compiled.artifact = artifact;
    compiled.actions = await importActions(result);
  });

  test.each(fixture.cases)("case: $name", async (c) => {
    const plain = await settle(() => runPlain(fixture.inputFile, c.input));
    const compiledRun = await settle(() => runCompiled(compiled.artifact!, compiled.actions!, c.input));
    expect(canonicalOutcome(compiledRun)).toBe(canonicalOutcome(plain));
  });
});
