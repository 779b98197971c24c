/**
 * The accepted corpus again, this time durably: every case of every fixture is
 * started as an instance in Postgres and run by a worker, and must end exactly as
 * cases.json says (the same table runLocal and the plain-JS run are held to).
 * Both database drivers run the whole table.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileFixture, importActions } from "./helpers/compiled.ts";
import { canonicalOutcome, expectedOutcome, loadFixtures, settle } from "./helpers/fixtures.ts";
import { drivers } from "./helpers/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";

const fixtures = loadFixtures().map((f) => {
  const { artifacts, entry, result } = compileFixture(f.inputFile, readFileSync(f.inputFile, "utf8"));
  return { ...f, artifacts, entry, result };
});

/**
 * Fixtures are independent programs and reuse action and workflow names ("square"
 * means different things in different files), while one queue needs one meaning per
 * name (a child workflow is found by its name too). So the corpus is split into
 * groups without clashing names, each with its own schema.
 */
function groupsWithoutClashes<T extends { inputFile: string; artifacts: { name: string }[]; result: { actions: { name: string; file: string }[] } }>(items: T[]): T[][] {
  const groups: Array<{ items: T[]; names: Map<string, string> }> = [];
  const namesOf = (item: T) => [
    ...item.result.actions.map((a) => [`action ${a.name}`, a.file] as const),
    ...item.artifacts.map((w) => [`workflow ${w.name}`, item.inputFile] as const),
  ];
  for (const item of items) {
    const fits = (g: (typeof groups)[number]) => namesOf(item).every(([name, file]) => (g.names.get(name) ?? file) === file);
    let group = groups.find(fits);
    if (!group) groups.push((group = { items: [], names: new Map() }));
    group.items.push(item);
    for (const [name, file] of namesOf(item)) group.names.set(name, file);
  }
  return groups.map((g) => g.items);
}

const groups = groupsWithoutClashes(fixtures);

describe.each(drivers)("durable fixtures (%s driver)", (driver) => {
  const envs: DurableEnv[] = [];
  const started = new Map<string, { id: string; env: DurableEnv }>();

  beforeAll(async () => {
    for (const [i, group] of groups.entries()) {
      const env = await durableEnv(driver, `fx${i}_${driver}`);
      envs.push(env);
      const actions = (await Promise.all(group.map((f) => importActions(f.result)))).flat();
      await env.startWorker({ actions, concurrency: 32 });
      // Start everything first, so instances interleave on the worker as in production.
      for (const f of group) {
        // Children are found by name: every workflow of the file is registered.
        for (const a of f.artifacts) await env.client.engine.register(a);
        for (const c of f.cases) {
          const run = await env.client.start(f.entry(c.workflow), JSON.parse(JSON.stringify(c.input)));
          for (const m of c.messages ?? []) await env.client.send(run.id, m.topic, m.message);
          started.set(`${f.name}/${c.name}`, { id: run.id, env });
        }
      }
    }
  }, 120_000);
  afterAll(async () => {
    for (const env of envs) await env.close();
  });

  for (const f of fixtures) {
    test.each(f.cases)(`${f.name}: $name`, async (c) => {
      const { id, env } = started.get(`${f.name}/${c.name}`)!;
      const outcome = await settle(() => env.client.result(id, { timeoutMs: 60_000 }));
      expect(canonicalOutcome(outcome)).toBe(canonicalOutcome(expectedOutcome(c)));
    });
  }

  test("no step was applied twice", async () => {
    for (const env of envs) {
      const rows = await env.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM (
           SELECT instance_id, call_id FROM "${env.schema}".history WHERE kind = 'resolved'
            GROUP BY instance_id, call_id HAVING count(*) > 1) d`,
      );
      expect(rows[0].n).toBe("0");
    }
  });
});
