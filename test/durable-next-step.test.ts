/**
 * The narrow writes of the path from start() to result() (runtime/durable/
 * write-narrow.ts): which steps take them, and that they check what the general
 * statement checks, writing nothing when a check fails.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import { isNarrowStart, isNextStep } from "../runtime/durable/write-narrow.ts";
import { DuplicateStartError, StaleStepError, type StepWrite } from "../runtime/durable/write-step.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "nextstep");
});
afterAll(() => env?.close());

const ID = "6f0c2d9e-1111-4abc-8def-0123456789ab";
const step = (over: Partial<StepWrite> = {}): StepWrite => ({
  instances: [], saves: [{ id: ID, version: 3, status: "running", state: {}, wakeAt: null }],
  finished: [{ instanceId: ID, callId: "c1", attempt: 1, ok: true }], queued: [],
  claimed: [{ instanceId: ID, callId: "c2", action: "inc", args: [2], options: {} }],
  events: [{ instanceId: ID, kind: "resolved", callId: "c1" }], notifications: [], published: [], tasksChannel: "t",
  ...over,
});

test("one outcome of one instance that stays running (one next action at most, run here) or ends takes the narrow write", () => {
  expect(isNextStep(step())).toBe(true);
  expect(isNextStep(step({ claimed: [] }))).toBe(true);
  const ended = { saves: [{ id: ID, version: 3, status: "completed" as const, state: {}, result: 1, wakeAt: null }], claimed: [], notifications: [{ channel: "d", payload: ID }] };
  expect(isNextStep(step(ended))).toBe(true);
  const other = "7f0c2d9e-1111-4abc-8def-0123456789ab";
  const no: Array<Partial<StepWrite>> = [
    { saves: [{ id: ID, version: 3, status: "completed", state: {}, result: 1, wakeAt: null }] },
    { ...ended, notifications: [] },
    { ...ended, claimed: [{ instanceId: ID, callId: "c2", action: "inc", args: [], options: {} }] },
    { saves: [{ id: ID, version: 3, status: "cancelled", state: {}, wakeAt: null }], claimed: [], notifications: [{ channel: "d", payload: ID }] },
    { saves: [{ id: ID, version: 3, status: "sleeping", state: {}, wakeAt: 1 }] },
    { queued: [{ instanceId: ID, callId: "c3", action: "inc", args: [], options: {} }] },
    { claimed: [{ instanceId: ID, callId: "c2", action: "inc", args: [], options: {} }, { instanceId: ID, callId: "c3", action: "inc", args: [], options: {} }] },
    { published: [{ instanceId: ID, key: "k", value: 1 }] },
    { notifications: [{ channel: "x", payload: "y" }] },
    { events: [{ instanceId: other, kind: "started" }] },
    { finished: [{ instanceId: other, callId: "c1", attempt: 1, ok: true }] },
  ];
  for (const over of no) expect(isNextStep(step(over)), JSON.stringify(over)).toBe(false);
});

test("a stale version or a task no longer held fails the narrow write, and nothing is written", async () => {
  const { artifact } = await inlineWorkflow("next_step_chain", `
    import { action, workflow } from "cairnjs";
    export const inc = action(async function inc(x: number) { return x + 1; });
    export const chain = workflow(async function chain(a: number) {
      const b = await inc(a);
      return await inc(b);
    });
  `);
  const { q } = env.client.engine;
  const run = await env.client.start(artifact, { a: 1 });
  const [task] = await q.claimTasks(env.db, "w", ["inc"], 10, 60_000);
  const row = (await q.instance(env.db, run.id))!;
  const counts = async () => (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".history WHERE instance_id = $1`, [run.id]))[0]!.n;
  const before = await counts();
  const write = (version: number, worker: string) =>
    q.writeStep(env.db, worker, 60_000, step({
      saves: [{ id: run.id, version, status: "running", state: row.state, wakeAt: null }],
      finished: [{ instanceId: run.id, callId: task!.call_id, attempt: task!.attempt, ok: true }],
      claimed: [{ instanceId: run.id, callId: "c2", action: "inc", args: [2], options: {} }],
      events: [{ instanceId: run.id, kind: "resolved", callId: task!.call_id, data: { attempt: 1, ok: true } }],
    }));
  await expect(write(row.version - 1, "w")).rejects.toThrow(StaleStepError);
  await expect(write(row.version, "someone-else")).rejects.toThrow(/saved 1 of 1, finished 0 of 1/);
  expect(await counts()).toBe(before);
  expect((await q.instance(env.db, run.id))!.version).toBe(row.version);
  // With the right version and owner it writes: the task done, the next one running here.
  await expect(write(row.version, "w")).resolves.toEqual({ saved: 1, finished: 1 });
  const tasks = await env.db.query<{ call_id: string; status: string; worker_id: string | null }>(
    `SELECT call_id, status, worker_id FROM "${env.schema}".tasks WHERE instance_id = $1 ORDER BY call_id`, [run.id],
  );
  expect(tasks).toEqual([{ call_id: "c1", status: "done", worker_id: "w" }, { call_id: "c2", status: "running", worker_id: "w" }]);
  expect(await counts()).toBe(before + 1);
});

test("a root start whose first action runs here takes the narrow write; a taken idempotency key fails it with nothing written", async () => {
  // Instances reference their definition (the statement is what is tested here, not the IR).
  const def = { hash: "narrow-start-hash", name: "wf" };
  await env.client.engine.q.putDefinition(env.db, def.hash, def.name, {});
  const start = (id: string, over: Partial<StepWrite["instances"][number]> = {}): StepWrite => ({
    instances: [{ id, workflow: def!.name, hash: def!.hash, status: "running", input: { a: 1 }, state: { s: 1 }, key: "narrow-key", wakeAt: null, trace: null, ...over }],
    saves: [], finished: [], queued: [],
    claimed: [{ instanceId: id, callId: "c1", action: "inc", args: [1], options: {} }],
    events: [{ instanceId: id, kind: "started", data: { workflow: "wf" } }], notifications: [], published: [], tasksChannel: "t",
  });
  expect(isNarrowStart(start(ID))).toBe(true);
  expect(isNarrowStart({ ...start(ID), claimed: [] })).toBe(true);
  for (const over of [{ parentId: ID, parentCall: "c1" }, { status: "sleeping" as const, wakeAt: 5 }, { status: "completed" as const, result: 1 }]) {
    expect(isNarrowStart(start(ID, over)), JSON.stringify(over)).toBe(false);
  }
  expect(isNarrowStart({ ...start(ID), queued: [{ instanceId: ID, callId: "c2", action: "inc", args: [], options: {} }] })).toBe(false);

  const { q } = env.client.engine;
  const [a, b] = [randomUUID(), randomUUID()];
  await q.writeStep(env.db, "w", 60_000, start(a));
  await expect(q.writeStep(env.db, "w", 60_000, start(b))).rejects.toThrow(DuplicateStartError);
  const rows = await env.db.query<{ id: string; status: string; input: unknown; state: unknown; result: unknown; trace: unknown }>(
    `SELECT id, status, input, state, result, trace FROM "${env.schema}".instances WHERE idempotency_key = 'narrow-key'`,
  );
  expect(rows).toEqual([{ id: a, status: "running", input: { a: 1 }, state: { s: 1 }, result: null, trace: null }]);
  const tasks = await env.db.query<{ instance_id: string; status: string; worker_id: string }>(
    `SELECT instance_id, status, worker_id FROM "${env.schema}".tasks WHERE instance_id = ANY($1::uuid[])`, [[a, b]],
  );
  expect(tasks).toEqual([{ instance_id: a, status: "running", worker_id: "w" }]);
  const history = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".history WHERE instance_id = $1`, [b]);
  expect(history[0]!.n).toBe(0);
});
