/**
 * Property: random programs from the supported subset (see helpers/program-gen.ts)
 * compute the same thing compiled under runLocal as when their module is imported
 * and run as plain JavaScript. Each program is a real file under test/tmp/ so that
 * both sides load the very same actions.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { compileSingle, importActions, runCompiled } from "./helpers/compiled.ts";
import { canonicalOutcome, REPO_ROOT, settle } from "./helpers/fixtures.ts";
import { runPlain } from "./helpers/plain-run.ts";
import { inputArbitrary, programArbitrary } from "./helpers/program-gen.ts";
import { printProgram } from "./helpers/program-print.ts";

const dir = join(REPO_ROOT, "test", "tmp", `property-fidelity-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

test("random programs behave the same compiled and as plain JavaScript", async () => {
  let programs = 0;
  await fc.assert(
    fc.asyncProperty(programArbitrary(), inputArbitrary, async (body, input) => {
      const source = printProgram(body);
      const file = join(dir, `program${programs++}.ts`);
      writeFileSync(file, source);
      const { artifact, result } = compileSingle(file, source);
      const actions = await importActions(result);
      const compiled = await settle(() => runCompiled(artifact, actions, input));
      const plain = await settle(() => runPlain(file, input));
      expect(canonicalOutcome(compiled), `input ${JSON.stringify(input)}, program:\n${source}`).toBe(canonicalOutcome(plain));
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 80), seed },
  );
  expect(programs).toBeGreaterThanOrEqual(80);
}, 60_000);
