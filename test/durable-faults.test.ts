/**
 * The fault model through a real worker and Postgres: one bad value or broken
 * instance beside thirty good ones. The good ones finish, the bad one ends with a
 * named error, the worker keeps serving, and a worker started afterwards is not
 * affected (nothing bad is left in the queue for it to trip on).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sealArtifact, type Artifact } from "../ir-schema/index.ts";
import type { Client } from "../runtime/durable/client.ts";
import { InvalidInputError } from "../runtime/durable/engine.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
let good: { artifact: Artifact; actions: unknown[] };
beforeAll(async () => {
  env = await durableEnv("pg", "fault");
  good = await inlineWorkflow("fault_good", `
    import { action, workflow } from "cairnjs";
    export const double = action(async function double(n: number) { return n * 2; });
    export const goodOne = workflow(async function goodOne(n: number) { const a = await double(n); return (await double(a)) + 1; });
  `);
});
afterAll(() => env?.close());

type Failure = { name: string; message: string };

/** Starts 30 good instances and the bad one; returns the good results and how the bad one ended. */
async function beside(startBad: (client: Client) => Promise<{ result(): Promise<unknown> }>): Promise<{ goods: unknown[]; bad: unknown }> {
  const goods = await Promise.all(Array.from({ length: 30 }, (_, n) => env.client.start(good.artifact, { n })));
  const bad = await startBad(env.client);
  const settled = await Promise.all(goods.map((g) => g.result({ timeoutMs: 20_000 })));
  const outcome = await bad.result().then(
    (value) => ({ value }),
    (e: Error & { error?: Failure }) => ({ error: { name: e.name, message: e.message } }),
  );
  return { goods: settled, bad: outcome };
}

const GOOD_RESULTS = Array.from({ length: 30 }, (_, n) => n * 4 + 1);

/** A worker started after the bad instance ended still serves new work. */
async function secondWorkerServes(actions: unknown[]): Promise<void> {
  await env.stopWorkers();
  await env.startWorker({ actions: [...good.actions, ...actions] });
  const run = await env.client.start(good.artifact, { n: 10 });
  expect(await run.result()).toBe(41);
}

describe("values Postgres cannot store", () => {
  let bad: { artifact: Artifact; actions: unknown[] };
  beforeAll(async () => {
    bad = await inlineWorkflow("fault_strings", `
      import { action, workflow } from "cairnjs";
      export const title = action(async function title(kind: number) {
        return kind === 0 ? "🚀".slice(0, 1) : kind === 1 ? { name: "a\\ud800b" } : ["ok", "a\\u0000b"];
      });
      export const titled = workflow(async function titled(kind: number) { return await title(kind); });
    `);
  });

  test.each([
    [0, "result of action 'title' has a lone surrogate at result"],
    [1, "result of action 'title' has a lone surrogate at result.name"],
    [2, "result of action 'title' has a NUL character (\\u0000) at result[1]"],
  ])("an action result with a bad string (case %i) fails only its instance, with a PayloadError", async (kind, message) => {
    await env.startWorker({ actions: [...good.actions, ...bad.actions] });
    const { goods, bad: outcome } = await beside((c) => c.start(bad.artifact, { kind }));
    expect(goods).toEqual(GOOD_RESULTS);
    expect(outcome).toEqual({ error: { name: "PayloadError", message } });
    await secondWorkerServes(bad.actions);
    await env.stopWorkers();
  });

  test("an error message with a NUL character is stored with U+FFFD, retried, and fails its call", async () => {
    const { artifact, actions } = await inlineWorkflow("fault_nul_error", `
      import { action, workflow } from "cairnjs";
      export const nul = action(async function nul() { throw new Error("x\\u0000y\\ud800"); });
      export const throwsNul = workflow(async function throwsNul() { return await nul(); });
    `);
    await env.startWorker({ actions: [...good.actions, ...actions] });
    const { goods, bad: outcome } = await beside((c) => c.start(artifact, {}));
    expect(goods).toEqual(GOOD_RESULTS);
    expect(outcome).toEqual({ error: { name: "Error", message: "x\ufffdy\ufffd" } });
    const retries = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".history WHERE kind = 'retry'`);
    expect(retries[0].n).toBeGreaterThanOrEqual(2);
    await secondWorkerServes(actions);
    await env.stopWorkers();
  });

  test("a sleeper that computes a lone surrogate after waking does not keep the other sleepers asleep", async () => {
    const { artifact, actions } = await inlineWorkflow("fault_sleeper", `
      import { action, workflow, sleep } from "cairnjs";
      export const echo = action(async function echo(s: string) { return s; });
      export const sleeper = workflow(async function sleeper(title: string) {
        await sleep("300ms");
        const short = title.slice(0, 8);
        const back = await echo("ok");
        return [short.length, back, short];
      });
    `);
    await env.startWorker({ actions: [...good.actions, ...actions] });
    const sleepers = await Promise.all(Array.from({ length: 20 }, (_, i) => env.client.start(artifact, { title: `plain title ${i}` })));
    const bad = await env.client.start(artifact, { title: "Launch 🚀 day" });
    const results = await Promise.all(sleepers.map((s) => s.result()));
    expect(results).toEqual(Array.from({ length: 20 }, () => [8, "ok", "plain ti"]));
    // The result holds the lone surrogate: the workflow ran on, and only its result cannot be stored.
    await expect(bad.result()).rejects.toMatchObject({
      name: "PayloadError",
      message: "result of workflow sleeper has a lone surrogate at result[2]",
    });
    await env.stopWorkers();
  });

  test("input with a NUL character or a lone surrogate is refused at start, naming the field", async () => {
    await expect(env.client.start(good.artifact, { n: "a\u0000b" as unknown as number })).rejects.toThrow(
      new InvalidInputError("input of workflow goodOne has a NUL character (\\u0000) at input.n"),
    );
    await expect(env.client.start(good.artifact, { n: "\ud83d" as unknown as number })).rejects.toThrow(
      new InvalidInputError("input of workflow goodOne has a lone surrogate at input.n"),
    );
  });

  test("idempotency keys of any length work; keys Postgres cannot store are refused", async () => {
    await env.startWorker({ actions: good.actions });
    const long = "k".repeat(10_000);
    const a = await env.client.start(good.artifact, { n: 1 }, { idempotencyKey: long });
    const b = await env.client.start(good.artifact, { n: 2 }, { idempotencyKey: long });
    expect([b.id, a.created, b.created]).toEqual([a.id, true, false]);
    expect(await a.result()).toBe(5);
    await expect(env.client.start(good.artifact, { n: 1 }, { idempotencyKey: "a\u0000" })).rejects.toThrow(
      new InvalidInputError("the idempotency key has a NUL character (\\u0000)"),
    );
    await env.stopWorkers();
  });
});

describe("sizes", () => {
  test("arguments over the payload limit fail their instance; an oversized error is truncated, never dropped", async () => {
    const { artifact, actions } = await inlineWorkflow("fault_sizes", `
      import { action, workflow } from "cairnjs";
      export const sink = action(async function sink(s: string) { return s.length; });
      export const big = action(async function big() { const e = new Error("big"); (e as any).blob = "x".repeat(200000); throw e; });
      export const sizes = workflow(async function sizes(kind: number) {
        // After a first action, so that the call is made by a worker's step (the client's start has its own limit).
        const n = await sink("first");
        if (kind === 0) return await sink("x".repeat(100000));
        return await big();
      });
    `);
    await env.startWorker({ actions: [...good.actions, ...actions], maxPayloadBytes: 50_000, maxErrorBytes: 4096 });
    const { goods, bad } = await beside((c) => c.start(artifact, { kind: 0 }));
    expect(goods).toEqual(GOOD_RESULTS);
    expect(bad).toEqual({ error: { name: "PayloadError", message: "arguments of action 'sink' (call 'c2') are 100004 bytes of JSON, over the limit of 50000" } });
    const run = await env.client.start(artifact, { kind: 1 });
    const err = (await run.result().catch((e: unknown) => e)) as { name: string; message: string; error: Record<string, unknown> };
    expect(err.name).toBe("Error");
    // The size counts the action's stack too (a few hundred bytes), which the truncated error keeps.
    expect(err.message).toMatch(/^big… \[truncated: the error was 20\d\d\d\d bytes of JSON, over the limit of 4096\]$/);
    expect(err.error.blob).toBeUndefined();
    expect(err.error["%stack"]).toMatch(/^at big \(.*fault_sizes\.ts:\d+:\d+\)/);
    const [row] = await env.db.query<{ n: number }>(`SELECT length(error::text) AS n FROM "${env.schema}".instances WHERE id = $1`, [run.id]);
    expect(row.n).toBeLessThanOrEqual(4096);
    await env.stopWorkers();
  });
});

describe("broken definitions", () => {
  test("IR that repeats a call id fails its instance with InterpreterError", async () => {
    const { artifact } = await inlineWorkflow("fault_repeat", `
      import { action, workflow } from "cairnjs";
      export const double = action(async function double(n: number) { return n * 2; });
      export const twice = workflow(async function twice(n: number) { const a = await double(n); return await double(a); });
    `);
    // Valid for the schema, wrong for the interpreter: both call sites named c1.
    const program = JSON.parse(JSON.stringify(artifact.program).replaceAll('"site":"c2"', '"site":"c1"')) as Artifact["program"];
    const { hash: _hash, ...rest } = artifact;
    const broken = sealArtifact({ ...rest, program });
    await env.startWorker({ actions: good.actions });
    const { goods, bad } = await beside((c) => c.start(broken, { n: 3 }));
    expect(goods).toEqual(GOOD_RESULTS);
    expect(bad).toMatchObject({ error: { name: "InterpreterError" } });
    expect((bad as { error: Failure }).error.message).toMatch(/^cairn could not apply the outcome of call 'c1': call id 'c1' \(action 'double' at .*\) was dispatched twice/);
    await secondWorkerServes([]);
    await env.stopWorkers();
  });

  test("a stored definition that no longer matches its hash fails its instances, not the worker", async () => {
    const { artifact, actions } = await inlineWorkflow("fault_tampered", `
      import { action, workflow, sleep } from "cairnjs";
      export const triple = action(async function triple(n: number) { return n * 3; });
      export const tamperMe = workflow(async function tamperMe(n: number) { await sleep("300ms"); return await triple(n); });
    `);
    const run = await env.client.start(artifact, { n: 3 });
    const ir = { ...artifact, params: ["x"] };
    await env.db.query(`UPDATE "${env.schema}".definitions SET ir = $2::text::json WHERE hash = $1`, [artifact.hash, JSON.stringify(ir)]);
    // A worker that has never seen the definition reads it from the database.
    await env.startWorker({ actions: [...good.actions, ...actions] });
    const { goods, bad } = await beside(async () => run);
    expect(goods).toEqual(GOOD_RESULTS);
    expect(bad).toMatchObject({ error: { name: "InvalidArtifactError" } });
    expect((bad as { error: Failure }).error.message).toMatch(/^cairn could not wake this instance: invalid stored definition sha256:\w+:\n {2}\/hash: content hash mismatch/);
    await env.stopWorkers();
  });
});
