/**
 * Fidelity: a compiled workflow means what its source means as plain JavaScript.
 * Every accepted fixture case runs twice, once as the imported module (actions
 * called directly, runAction returning its call, sleep a timer) and once compiled
 * under runLocal, and the two outcomes must be identical as JSON (errors: name and
 * message). Cases marked runtimeOnly (timeouts, which plain JS does not enforce)
 * are left to the fixture test.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Artifact } from "../ir-schema/index.ts";
import { compileFixture, compileSingle, importActions, runCompiled } from "./helpers/compiled.ts";
import { canonicalOutcome, loadFixtures, REPO_ROOT, settle } from "./helpers/fixtures.ts";
import { runPlain } from "./helpers/plain-run.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { STATE_ACTIONS, STATE_CASES } from "./helpers/state-cases.ts";

const fixtures = loadFixtures()
  // Plain JavaScript cannot receive a message: a case that sends one is for runtimes only.
  .map((f) => ({ ...f, cases: f.cases.filter((c) => !c.runtimeOnly && !c.messages) }))
  .filter((f) => f.cases.length > 0);

test("almost every fixture takes part", () => {
  // Those whose every case sends messages are left out by design (see above): not counted.
  const all = loadFixtures();
  const receiving = all.filter((f) => f.cases.every((c) => c.messages)).length;
  expect(all.length - fixtures.length - receiving).toBeLessThanOrEqual(2);
});

describe.each(fixtures)("$name", (fixture) => {
  const compiled: { artifacts?: Artifact[]; entry?: (wanted?: string) => Artifact; actions?: unknown[] } = {};

  beforeAll(async () => {
    const { artifacts, entry, result } = compileFixture(fixture.inputFile, readFileSync(fixture.inputFile, "utf8"));
    compiled.artifacts = artifacts;
    compiled.entry = entry;
    compiled.actions = await importActions(result);
  });

  test.each(fixture.cases)("case: $name", async (c) => {
    const plain = await settle(() => runPlain(fixture.inputFile, c.input, c.workflow));
    const compiledRun = await settle(() => runCompiled(compiled.entry!(c.workflow), compiled.actions!, c.input, { workflows: compiled.artifacts }));
    expect(canonicalOutcome(compiledRun)).toBe(canonicalOutcome(plain));
  });
});

/**
 * The state model (helpers/state-cases.ts): each case runs as plain JavaScript, under
 * runLocal (state round-tripped through JSON at every suspension) and durably on
 * Postgres (state saved as json at every step), and all three must agree.
 */
describe("state model: plain JavaScript, runLocal and durable agree", () => {
  const dir = join(REPO_ROOT, "test", "tmp", `fidelity-state-${process.pid}`);
  // A start that fails (a state Postgres refuses) fails its own case, not the suite.
  const runs = new Map<string, { artifact: Artifact; actions: unknown[]; file: string; ids: Array<string | Error> }>();
  let env: DurableEnv | undefined;

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "actions.ts"), STATE_ACTIONS);
    const all = new Set<unknown>();
    for (const c of STATE_CASES) {
      const file = join(dir, `${c.name}.ts`);
      writeFileSync(file, c.source);
      const { artifact, result } = compileSingle(file, c.source);
      const actions = await importActions(result);
      for (const a of actions) all.add(a);
      runs.set(c.name, { artifact, actions, file, ids: [] });
    }
    env = await durableEnv("pg", "fidstate");
    await env.startWorker({ actions: [...all] });
    for (const c of STATE_CASES) {
      const run = runs.get(c.name)!;
      for (const input of c.inputs) {
        run.ids.push(await env.client.start(run.artifact, structuredClone(input)).then((r) => r.id, (e: Error) => e));
      }
    }
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const table = STATE_CASES.flatMap((c) => c.inputs.map((input, i) => ({ label: `${c.name} (input ${i + 1})`, name: c.name, input, i })));
  test.each(table)("$label", async ({ name, input, i }) => {
    const run = runs.get(name)!;
    const plain = canonicalOutcome(await settle(() => runPlain(run.file, input)));
    expect(plain).not.toContain('"error"');
    expect(canonicalOutcome(await settle(() => runCompiled(run.artifact, run.actions, input))), "runLocal").toBe(plain);
    const id = run.ids[i];
    const durable = await settle(async () => (typeof id === "string" ? env!.client.result(id, { timeoutMs: 60_000 }) : Promise.reject(id)));
    expect(canonicalOutcome(durable), "durable").toBe(plain);
  });
});
