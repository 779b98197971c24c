/**
 * Property: random programs from the supported subset (see helpers/program-gen.ts)
 * compute the same thing compiled under runLocal as when their module is imported
 * and run as plain JavaScript. Each program is a real file under test/tmp/ so that
 * both sides load the very same actions.
 *
 * At least 1,000 programs per run (FC_RUNS to change, FC_SEED to replay); on two
 * cores the file takes about 30 s.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { errorClassName, errorFromThrown } from "../runtime/interpreter/index.ts";
import { compileSingle, importActions, runCompiled } from "./helpers/compiled.ts";
import { canonicalOutcome, REPO_ROOT, settle, type Outcome } from "./helpers/fixtures.ts";
import { runPlain } from "./helpers/plain-run.ts";
import { inputArbitrary, programArbitrary } from "./helpers/program-gen.ts";
import { printProgram } from "./helpers/program-print.ts";

const dir = join(REPO_ROOT, "test", "tmp", `property-fidelity-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const RUNS = Number(process.env.FC_RUNS ?? 1000);

/**
 * What escapes a plain run, as the outside world is told of a failed workflow: the
 * error's class and message, and for a thrown string, number or object, name "Error"
 * and String(value) (docs/interpreter.md, Errors). Inside the workflow, what a
 * catch sees is compared exactly (the programs log it).
 */
async function settlePlain(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { result: await run() };
  } catch (thrown) {
    const error = errorFromThrown(thrown);
    return { error: { name: errorClassName(error), message: error.message } };
  }
}

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
      const plain = await settlePlain(() => runPlain(file, input));
      expect(canonicalOutcome(compiled), `input ${JSON.stringify(input)}, program:\n${source}`).toBe(canonicalOutcome(plain));
    }),
    { numRuns: RUNS, seed },
  );
  expect(programs).toBeGreaterThanOrEqual(RUNS);
}, 300_000);
