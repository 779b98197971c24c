/**
 * Schedules on real Postgres: one instance per tick however many workers run
 * (counted by the instances' idempotency keys), the catch-up policies after ticks
 * missed while no worker ran, the overlap policies, and pause/resume.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artifact, ScheduleEntry } from "../ir-schema/index.ts";
import { migrate } from "../runtime/store/migrate.ts";
import type { Db } from "../runtime/store/db.ts";
import { Client } from "../runtime/durable/client.ts";
import { Worker, type WorkerEvent, type WorkerOptions } from "../runtime/durable/worker.ts";
import { UnknownScheduleError } from "../runtime/durable/schedule-queries.ts";
import { compiledWorkflow, schedule } from "../runtime/index.ts";
import { compileFile } from "./helpers/compiled.ts";
import { dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";

const SOURCE = `import { workflow, schedule, sleep } from "cairnjs";
export const stamp = workflow(async function stamp(scheduledAt: string, tag: string) {
  return tag + "@" + scheduledAt;
});
export const slow = workflow(async function slow(scheduledAt: string) {
  await sleep("2500ms");
  return scheduledAt;
});
export const count = schedule({ every: "1s" }, stamp, { input: { tag: "count" } });
export const latest = schedule({ every: "1s" }, stamp, { input: { tag: "latest" } });
export const all = schedule({ every: "1s" }, stamp, { input: { tag: "all" }, catchUp: "all" });
export const none = schedule({ every: "1s" }, stamp, { input: { tag: "none" }, catchUp: "none" });
export const skip = schedule({ every: "1s" }, slow);
export const allow = schedule({ every: "1s" }, slow, { overlap: "allow" });
`;

let db: Db;
let schema: string;
let client: Client;
let artifacts: Artifact[];
let schedules: ScheduleEntry[];
const workers: Worker[] = [];

beforeAll(async () => {
  const result = compileFile(`${REPO_ROOT}/test/workloads/scheduled.ts`, SOURCE);
  expect(result.diagnostics).toEqual([]);
  artifacts = result.workflows;
  schedules = result.schedules ?? [];
  // Three workers, a client and each round's own connection beside its starts.
  db = await openTestDb("pg", 20);
  schema = freshSchemaName("sched");
  await migrate(db, schema);
  client = new Client(db, { schema }, false);
});
afterAll(async () => {
  await stopAll();
  await dropSchema(db, schema);
  await db.close();
});

/** A worker serving `workflows` with the schedules named (all of the build's are given: it picks its workflows'). */
async function startWorker(names: string[], workflows = ["stamp"], extra: Partial<WorkerOptions> = {}): Promise<Worker> {
  const w = new Worker(db, {
    actions: [],
    workflows: artifacts.filter((a) => workflows.includes(a.name)),
    schedules: schedules.filter((s) => names.includes(s.name)),
    schema,
    migrate: false,
    pollMs: 200,
    ...extra,
  });
  await w.start();
  workers.push(w);
  return w;
}

async function stopAll(): Promise<void> {
  for (const w of workers.splice(0)) await w.stop(1000);
}

/** The ticks (ms) of the instances a schedule started, from their idempotency keys, ascending; with each instance's input. */
async function ticksOf(name: string): Promise<Array<{ tick: number; input: Record<string, unknown> }>> {
  const rows = await db.query<{ idempotency_key: string; input: Record<string, unknown> }>(
    `SELECT idempotency_key, input FROM "${schema}".instances WHERE idempotency_key LIKE $1`,
    [`schedule:${name}:%`],
  );
  return rows
    .map((r) => ({ tick: Date.parse(r.idempotency_key.slice(`schedule:${name}:`.length)), input: r.input }))
    .sort((a, b) => a.tick - b.tick);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gaps = (ticks: number[]) => ticks.slice(1).map((t, i) => t - ticks[i]);

describe("schedules", () => {
  it("the build's schedules are compiled into manifest entries", () => {
    expect(schedules.find((s) => s.name === "all")).toEqual({
      name: "all", workflow: "stamp", spec: { every: "1s" }, timezone: "UTC", input: { tag: "all" },
      catchUp: "all", overlap: "skip", source: "test/workloads/scheduled.ts",
    });
  });

  it("three workers for ten seconds start exactly one instance per tick: no duplicate, no gap", async () => {
    const said: number[] = [];
    const onEvent = (e: WorkerEvent) => void (e.type === "scheduled" && e.schedule === "count" && said.push(e.tick));
    // One after another: a Db's LISTEN connection takes one subscription at a time.
    for (let i = 0; i < 3; i++) await startWorker(["count"], ["stamp"], { onEvent });
    await sleep(10_000);
    await stopAll();
    const started = await ticksOf("count");
    const ticks = started.map((s) => s.tick);
    // Each tick's start is said once, by the worker whose round started it.
    expect(said.sort((a, b) => a - b)).toEqual(ticks);
    expect(ticks.length).toBeGreaterThanOrEqual(9);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(gaps(ticks).every((g) => g === 1000)).toBe(true);
    // The tick's time is the workflow's scheduledAt; the rest of the input is the schedule's.
    for (const s of started) expect(s.input).toEqual({ tag: "count", scheduledAt: new Date(s.tick).toISOString() });
  }, 20_000);

  it("after five ticks with no worker: catchUp latest starts one, all starts each, none starts none", async () => {
    const names = ["latest", "all", "none"];
    await startWorker(names);
    await stopAll();
    const [first] = await client.schedules().then((list) => list.filter((s) => s.name === "all").map((s) => s.nextTick!.getTime()));
    // Down until the fifth tick has passed, then up again.
    await sleep(first + 4_300 - Date.now());
    await startWorker(names);
    for (let i = 0; i < 50 && (await ticksOf("latest")).length === 0; i++) await sleep(50);
    await stopAll();
    const caughtUp = (await ticksOf("latest"))[0].tick; // the round that caught up started this one
    const allTicks = (await ticksOf("all")).map((s) => s.tick).filter((t) => t <= caughtUp);
    const noneTicks = (await ticksOf("none")).map((s) => s.tick).filter((t) => t <= caughtUp);
    expect(caughtUp - first).toBeGreaterThanOrEqual(4_000);
    expect(allTicks).toEqual(Array.from({ length: (caughtUp - first) / 1000 + 1 }, (_, i) => first + i * 1000));
    expect(allTicks.length).toBeGreaterThanOrEqual(5);
    expect(noneTicks).toEqual([]);
    expect((await ticksOf("latest")).filter((s) => s.tick <= caughtUp)).toHaveLength(1);
  }, 20_000);

  it("overlap skip skips ticks while the last instance runs; allow starts every tick", async () => {
    await startWorker(["skip", "allow"], ["slow"]);
    await sleep(4_500);
    await stopAll();
    const skip = (await ticksOf("skip")).map((s) => s.tick);
    const allow = (await ticksOf("allow")).map((s) => s.tick);
    expect(allow.length).toBeGreaterThanOrEqual(4);
    expect(gaps(allow).every((g) => g === 1000)).toBe(true);
    expect(skip.length).toBeGreaterThanOrEqual(1);
    expect(skip.length).toBeLessThan(allow.length);
    // Each of skip's instances sleeps 2.5 s: the next starts at the first tick after it ended.
    expect(gaps(skip).every((g) => g >= 3000)).toBe(true);
  }, 20_000);

  it("pause stops the ticks and survives a worker registering the schedule again; resume starts again from the next tick", async () => {
    await startWorker(["count"]);
    const paused = await client.pauseSchedule("count");
    expect(paused.state).toBe("paused");
    await sleep(300); // a round already under way finishes
    const before = (await ticksOf("count")).length;
    await stopAll();
    await startWorker(["count"]); // registers it again
    await sleep(2_200);
    expect((await client.schedules()).find((s) => s.name === "count")?.state).toBe("paused");
    expect((await ticksOf("count")).length).toBe(before);
    const resumed = await client.resumeSchedule("count");
    expect(resumed.state).toBe("active");
    expect(resumed.nextTick!.getTime()).toBeGreaterThan(Date.now() - 1000);
    await sleep(2_200);
    await stopAll();
    const after = await ticksOf("count");
    // Resumed: new ticks, and none from the pause caught up.
    expect(after.length).toBeGreaterThanOrEqual(before + 1);
    expect(after[before].tick).toBeGreaterThanOrEqual(resumed.nextTick!.getTime());
    await expect(client.pauseSchedule("nope")).rejects.toThrow(UnknownScheduleError);
  }, 20_000);

  it("lists name, workflow, spec, next tick, last instance and state", async () => {
    const list = await client.schedules();
    expect(list.map((s) => s.name)).toEqual(["all", "allow", "count", "latest", "none", "skip"]);
    const all = list.find((s) => s.name === "all")!;
    expect(all).toMatchObject({ workflow: "stamp", spec: "every 1s", timezone: "UTC", catchUp: "all", overlap: "skip", state: "active" });
    expect(all.lastInstance).toMatch(/^[0-9a-f-]{36}$/);
    expect(all.lastStatus).toBe("completed");
    expect(all.nextTick).toBeInstanceOf(Date);
  });

  it("registering again keeps the next tick, unless the spec or the time zone changed", async () => {
    const base: ScheduleEntry = { ...schedules.find((s) => s.name === "count")!, name: "daily", spec: "0 3 * * *", timezone: "UTC" };
    const nextOf = async () => (await client.schedules()).find((s) => s.name === "daily")!;
    const register = async (entry: ScheduleEntry) => {
      await startWorker([], ["stamp"], { schedules: [entry] });
      await stopAll();
    };
    await register(base);
    const first = await nextOf();
    expect(first.nextTick!.toISOString()).toMatch(/T03:00:00\.000Z$/);
    await register({ ...base, input: { tag: "other" }, overlap: "allow" });
    expect(await nextOf()).toMatchObject({ nextTick: first.nextTick, input: { tag: "other" }, overlap: "allow" });
    await register({ ...base, spec: "0 4 * * *" });
    expect((await nextOf()).nextTick!.toISOString()).toMatch(/T04:00:00\.000Z$/);
    await register({ ...base, spec: "0 4 * * *", timezone: "America/New_York" });
    expect((await nextOf()).nextTick!.toISOString()).toMatch(/T0[89]:00:00\.000Z$/); // 04:00 in New York, EST or EDT
  });

  it("a worker also takes a module's exports: its schedule(...) values, named by their export names", async () => {
    const stamp = compiledWorkflow(artifacts.find((a) => a.name === "stamp")!);
    const exports = { fromExports: schedule("30 2 * * *", stamp, { timezone: "Europe/Berlin", input: { tag: "exports" } }), other: 42 };
    await startWorker([], ["stamp"], { schedules: exports });
    await stopAll();
    const entry = (await client.schedules()).find((s) => s.name === "fromExports");
    expect(entry).toMatchObject({ workflow: "stamp", spec: "30 2 * * *", timezone: "Europe/Berlin", input: { tag: "exports" }, catchUp: "latest", state: "active" });
    const bad = new Worker(db, { actions: [], workflows: artifacts, schedules: { x: schedule("0 3 * * *", (() => 1) as never) }, schema, migrate: false });
    await expect(bad.start()).rejects.toThrow(/schedule x: its workflow is not a workflow/);
  });

  it("a worker refuses a schedule whose input does not fit its workflow", async () => {
    const bad: ScheduleEntry = { ...schedules.find((s) => s.name === "count")!, name: "bad", input: { other: 1 } };
    const w = new Worker(db, { actions: [], workflows: artifacts, schedules: [bad], schema, migrate: false });
    await expect(w.start()).rejects.toThrow(/schedule bad: unknown input 'other'/);
  });
});
