/**
 * The durable runtime's promises, one by one, on a real Postgres: idempotent starts,
 * input checks that store nothing, retries that wait in the database, timeouts,
 * durable sleeps, cancellation, payload limits, and instances pinned to their IR.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { InvalidArtifactError } from "../ir-schema/index.ts";
import { InvalidInputError, UnknownWorkflowError } from "../runtime/durable/engine.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "beh");
});
afterAll(() => env?.close());

const count = async (sql: string) => Number((await env.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${sql}`))[0].n);
const history = async (id: string) =>
  (await env.db.query<{ kind: string; call_id: string | null; data: Record<string, unknown> | null; at: number }>(
    `SELECT kind, call_id, data, (extract(epoch from at) * 1000)::float8 AS at FROM "${env.schema}".history WHERE instance_id = $1 ORDER BY seq`,
    [id],
  ));

describe("starting", () => {
  test("a repeated idempotency key returns the same instance and stores one", async () => {
    const { artifact, actions } = await inlineWorkflow("beh_idem", `
      import { action, workflow } from "cairnjs";
      export const shout = action(async function shout(s: string) { return s.toUpperCase(); });
      export const idem = workflow(async function idem(s: string) { return await shout(s); });
    `);
    await env.startWorker({ actions });
    const a = await env.client.start(artifact, { s: "hi" }, { idempotencyKey: "order-42" });
    const b = await env.client.start(artifact, { s: "other" }, { idempotencyKey: "order-42" });
    expect(b.id).toBe(a.id);
    expect([a.created, b.created]).toEqual([true, false]);
    expect(await count(`"${env.schema}".instances WHERE idempotency_key = 'order-42'`)).toBe(1);
    expect(await a.result()).toBe("HI");
    const racing = await Promise.all([1, 2, 3, 4].map(() => env.client.start(artifact, { s: "x" }, { idempotencyKey: "race" })));
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    // The losers' statements wrote nothing: one instance, one task, one start event.
    const raced = `(SELECT id FROM "${env.schema}".instances WHERE idempotency_key = 'race')`;
    expect(await count(`"${env.schema}".tasks WHERE instance_id = ${raced}`)).toBe(1);
    expect(await count(`"${env.schema}".history WHERE kind = 'started' AND instance_id NOT IN (SELECT id FROM "${env.schema}".instances)`)).toBe(0);
    expect(await count(`"${env.schema}".history WHERE kind = 'started' AND instance_id = ${raced}`)).toBe(1);
  });

  test("bad input is refused with a clear error and stores nothing", async () => {
    const { artifact } = await inlineWorkflow("beh_input", `
      import { action, workflow } from "cairnjs";
      export const noop = action(async function noop(a: number) { return a; });
      export const takesTwo = workflow(async function takesTwo(a: number, b: string) { return await noop(a); });
    `);
    const before = await count(`"${env.schema}".instances`);
    await expect(env.client.start(artifact, { a: 1, c: 2 })).rejects.toThrow(
      new InvalidInputError("unknown input 'c' for workflow takesTwo; it takes (a, b)"),
    );
    await expect(env.client.start(artifact, [1, 2] as unknown as Record<string, unknown>)).rejects.toThrow(
      "input of workflow takesTwo must be an object keyed by its parameters (a, b)",
    );
    const circular: Record<string, unknown> = { a: 1 };
    circular.b = circular;
    await expect(env.client.start(artifact, circular)).rejects.toThrow(
      "input of workflow takesTwo is not JSON: it contains a circular reference at input.b",
    );
    await expect(env.client.start(artifact, { a: 1n as unknown as number })).rejects.toThrow(
      "input of workflow takesTwo is not JSON: it contains a bigint at input.a",
    );
    expect(await count(`"${env.schema}".instances`)).toBe(before);
  });

  test("an id that names no instance, a UUID or not, is an UnknownWorkflowError for every client call", async () => {
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const expected = new UnknownWorkflowError(`no workflow instance ${id}`);
      await expect(env.client.status(id)).rejects.toThrow(expected);
      await expect(env.client.peek(id)).rejects.toThrow(expected);
      await expect(env.client.result(id)).rejects.toThrow(expected);
      await expect(env.client.handle(id).cancel()).rejects.toThrow(expected);
    }
  });

  test("unknown workflows and tampered or malformed artifacts are refused", async () => {
    await expect(env.client.start("NoSuchWorkflow", {})).rejects.toThrow(
      new UnknownWorkflowError("no workflow named 'NoSuchWorkflow' is registered"),
    );
    const { artifact } = await inlineWorkflow("beh_tamper", `
      import { action, workflow } from "cairnjs";
      export const noop = action(async function noop() { return 1; });
      export const tampered = workflow(async function tampered() { return await noop(); });
    `);
    const tamperedArtifact = { ...artifact, params: ["injected"] };
    const err = await env.client.start(tamperedArtifact, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArtifactError);
    expect((err as InvalidArtifactError).errors.map((e) => e.path)).toEqual(["/hash"]);
    const malformed = { ...artifact, program: { entry: 0, blocks: [] } };
    await expect(env.client.start(malformed, {})).rejects.toThrow(/\/program\/blocks/);
    expect(await count(`"${env.schema}".definitions WHERE name = 'tampered'`)).toBe(0);
  });
});

describe("running", () => {
  test("retries wait their backoff in the database, then succeed, with one idempotency key", async () => {
    const { artifact, actions } = await inlineWorkflow("beh_retry", `
      import { action, actionContext, workflow, runAction } from "cairnjs";
      export const flaky = action(async function flaky() {
        const { attempt, idempotencyKey } = actionContext();
        if (attempt < 3) throw new Error("attempt " + attempt + " failed");
        return { attempt, idempotencyKey };
      });
      export const retrying = workflow(async function retrying() {
        return await runAction(flaky(), { retry: { attempts: 5, delay: "200ms", factor: 2 } });
      });
    `);
    // The runner's default maxDelay (60 s), not the suite's fast one, bounds this policy.
    await env.startWorker({ actions, defaultRetry: {} });
    const run = await env.client.start(artifact, {});
    const result = (await run.result()) as { attempt: number; idempotencyKey: string };
    expect(result).toEqual({ attempt: 3, idempotencyKey: `${run.id}:c1` });
    const h = await history(run.id);
    const retries = h.filter((e) => e.kind === "retry");
    expect(retries.map((e) => [e.data?.attempt, e.data?.delayMs])).toEqual([[1, 200], [2, 400]]);
    const attempts = h.filter((e) => e.kind === "attempt");
    expect(attempts.map((e) => [e.data?.attempt, e.data?.idempotencyKey])).toEqual([
      [1, `${run.id}:c1`], [2, `${run.id}:c1`], [3, `${run.id}:c1`],
    ]);
    // Each retry started no earlier than its backoff allowed after the attempt before
    // it began (which was before that attempt failed and its backoff started). Not
    // measured from the retry event: it is written just after the backoff is set,
    // by a few milliseconds, or more on a loaded machine.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(200);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(400);
  });

  test("a timeout aborts the attempt's signal and fails the call with ActionTimeoutError", async () => {
    const { artifact, actions } = await inlineWorkflow("beh_timeout", `
      import { action, actionContext, workflow, runAction, ActionTimeoutError } from "cairnjs";
      export const hang = action(async function hang() {
        const { signal } = actionContext();
        await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted: " + signal.reason.name))));
      });
      export const timing = workflow(async function timing() {
        try {
          await runAction(hang(), { timeout: "150ms", retry: { attempts: 1 } });
          return "finished";
        } catch (err) {
          if (err instanceof ActionTimeoutError) return err.message;
          throw err;
        }
      });
    `);
    await env.startWorker({ actions });
    const run = await env.client.start(artifact, {});
    expect(await run.result()).toBe("action 'hang' timed out after 150ms");
  });

  test("a durable sleep never wakes early and survives its worker", async () => {
    const { artifact, actions } = await inlineWorkflow("beh_sleep", `
      import { action, workflow, sleep } from "cairnjs";
      export const mark = action(async function mark(label: string) { return label; });
      export const sleeper = workflow(async function sleeper() {
        const a = await mark("before");
        await sleep("1500ms");
        return [a, await mark("after")];
      });
    `);
    await env.stopWorkers();
    await env.startWorker({ actions });
    const run = await env.client.start(artifact, {});
    await waitFor(async () => (await env.client.status(run.id)).status === "sleeping");
    await env.stopWorkers();
    const status = await env.client.status(run.id);
    expect(status.status).toBe("sleeping");
    expect(status.at).toMatch(/beh_sleep\.ts:6:\d+$/);
    await env.startWorker({ actions });
    expect(await run.result()).toEqual(["before", "after"]);
    const h = await history(run.id);
    const slept = h.find((e) => e.kind === "sleeping")!;
    const woke = h.find((e) => e.kind === "woke")!;
    const until = Date.parse(slept.data!.until as string);
    expect(woke.at).toBeGreaterThanOrEqual(until);
    // The wake-up time is 1500 ms after the interpreter reached the sleep, which is
    // a little before the event that records it is written (so not compared to
    // that event's time by >= 1500, which a loaded machine can miss by milliseconds).
    expect(until - slept.at).toBeGreaterThan(1400);
    expect(until - slept.at).toBeLessThanOrEqual(1510);
  });

  test("a first step that sleeps takes its deadline from the database clock when the row is written", async () => {
    const { artifact } = await inlineWorkflow("beh_first_sleep", `
      import { action, workflow, sleep } from "cairnjs";
      export const after = action(async function after(n: number) { return n; });
      export const nap = workflow(async function nap(n: number) {
        await sleep("1h");
        return await after(n);
      });
    `);
    // Many at once, so that building the statement takes a while: a deadline taken
    // from this process's clock before writing would fall short of an hour after
    // the row's creation.
    const ids = await env.client.startMany(artifact, Array.from({ length: 400 }, (_, n) => ({ n })));
    const rows = await env.db.query<{ short: number; sleeping: number }>(
      `SELECT count(*) FILTER (WHERE wake_at < created_at + interval '1 hour')::int AS short,
              count(*) FILTER (WHERE status = 'sleeping')::int AS sleeping
         FROM "${env.schema}".instances WHERE id = ANY($1::uuid[])`,
      [ids.map((h) => h.id)],
    );
    expect(rows).toEqual([{ short: 0, sleeping: 400 }]);
    for (const h of ids) await h.cancel();
  });

  test("a worker stopping past its grace hands its running tasks to an idle worker at once", async () => {
    const { artifact, actions, file } = await inlineWorkflow("beh_handoff", `
      import { action, actionContext, workflow } from "cairnjs";
      export const gate = { open: false, started: 0 };
      export const slow = action(async function slow(x: number) {
        gate.started++;
        if (gate.open) return x * 2;
        const { signal } = actionContext();
        return await new Promise<number>((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
      });
      export const handoff = workflow(async function handoff(x: number) { return await slow(x); });
    `);
    const gate = ((await import(file)) as { gate: { open: boolean; started: number } }).gate;
    await env.stopWorkers();
    // Polls and leases far longer than the test waits: only the release's notification can hand the task over.
    const slowPolls = { actions, pollMs: 60_000, leaseMs: 60_000 };
    const first = await env.startWorker(slowPolls);
    const run = await env.client.start(artifact, { x: 21 });
    await waitFor(async () => gate.started === 1);
    const second = await env.startWorker(slowPolls);
    gate.open = true;
    await first.stop(50);
    expect(await run.result({ timeoutMs: 10_000 })).toBe(42);
    const attempts = (await history(run.id)).filter((e) => e.kind === "attempt").map((e) => (e.data as { worker: string }).worker);
    expect(attempts).toEqual([first.id, second.id]);
    await env.stopWorkers();
  });

  test("cancel stops the instance, drops its queue and aborts running attempts", async () => {
    const { artifact, actions, file } = await inlineWorkflow("beh_cancel", `
      import { action, actionContext, workflow } from "cairnjs";
      export const aborted: string[] = [];
      export const wait = action(async function wait(id: string) {
        const { signal } = actionContext();
        await new Promise((_, reject) => signal.addEventListener("abort", () => { aborted.push(id); reject(new Error("aborted")); }));
      });
      export const never = action(async function never() { return "never"; });
      export const cancellable = workflow(async function cancellable(id: string) {
        await wait(id);
        return await never();
      });
    `);
    await env.startWorker({ actions });
    const run = await env.client.start(artifact, { id: "job-1" });
    await waitFor(async () => (await env.client.status(run.id)).tasks.some((t) => t.status === "running"));
    expect(await run.cancel("user asked")).toBe(true);
    await expect(run.result()).rejects.toMatchObject({ name: "CancelledError", message: "user asked" });
    const mod = (await import(file)) as { aborted: string[] };
    await waitFor(async () => mod.aborted.includes("job-1"));
    const status = await env.client.status(run.id);
    expect(status.status).toBe("cancelled");
    expect(status.tasks.map((t) => [t.callId, t.status])).toEqual([["c1", "cancelled"]]);
    expect(await run.cancel()).toBe(false);
  });

  test("a task no worker can run stays visible with the reason", async () => {
    const { artifact } = await inlineWorkflow("beh_orphan", `
      import { action, workflow } from "cairnjs";
      export const unclaimed = action(async function unclaimed() { return 1; });
      export const orphan = workflow(async function orphan() { return await unclaimed(); });
    `);
    const run = await env.client.start(artifact, {});
    const status = await env.client.status(run.id);
    expect(status.status).toBe("running");
    expect(status.tasks).toEqual([
      { callId: "c1", action: "unclaimed", status: "ready", attempt: 0, reason: "no live worker has action 'unclaimed'" },
    ]);
  });

  test("results JSON cannot hold, or over the size limit, fail the call clearly and are not retried", async () => {
    const { artifact, actions } = await inlineWorkflow("beh_payload", `
      import { action, workflow } from "cairnjs";
      export const returnsFunction = action(async function returnsFunction() { return { f: () => 1 }; });
      export const returnsCycle = action(async function returnsCycle() { const o: any = {}; o.self = o; return o; });
      export const returnsHuge = action(async function returnsHuge() { return "x".repeat(5000); });
      export const payloads = workflow(async function payloads(which: string) {
        try {
          if (which === "function") await returnsFunction();
          else if (which === "cycle") await returnsCycle();
          else await returnsHuge();
          return "ok";
        } catch (err) {
          return err.name + ": " + err.message;
        }
      });
    `);
    await env.startWorker({ actions, maxPayloadBytes: 4096 });
    const results = await Promise.all(["function", "cycle", "huge"].map(async (which) => (await env.client.start(artifact, { which })).result()));
    expect(results).toEqual([
      "PayloadError: result of action 'returnsFunction' is not JSON: it contains a function at result.f",
      "PayloadError: result of action 'returnsCycle' is not JSON: it contains a circular reference at result.self",
      "PayloadError: result of action 'returnsHuge' is 5002 bytes of JSON, over the limit of 4096",
    ]);
  });

  test("instances keep the IR they started with when a new version is deployed", async () => {
    const v1 = await inlineWorkflow("beh_version1", `
      import { action, workflow, sleep } from "cairnjs";
      export const label = action(async function label(s: string) { return s; });
      export const versioned = workflow(async function versioned() { await sleep("400ms"); return await label("v1"); });
    `);
    const v2 = await inlineWorkflow("beh_version2", `
      import { action, workflow, sleep } from "cairnjs";
      export const label = action(async function label(s: string) { return s; });
      export const versioned = workflow(async function versioned() { await sleep("10ms"); return (await label("v2")) + "!"; });
    `);
    expect(v2.artifact.hash).not.toBe(v1.artifact.hash);
    await env.startWorker({ actions: v1.actions });
    const old = await env.client.start(v1.artifact, {});
    const fresh = await env.client.start(v2.artifact, {});
    const byName = await env.client.start("versioned", {});
    expect(await fresh.result()).toBe("v2!");
    expect(await old.result()).toBe("v1");
    expect(await byName.result()).toBe("v2!");
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((r) => setTimeout(r, 20));
  }
}
