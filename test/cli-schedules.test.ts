/**
 * Schedules through the CLI, as a deployment runs them: `cairn build` writes the
 * schedule into the manifest, two real `cairn worker --ir` processes serve it (one
 * instance per tick between them), `cairn schedules` lists it, and
 * `cairn schedules pause|resume` stop and restart its ticks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO, cairn, tempProject } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";
import type { Db } from "../runtime/store/db.ts";

const WORKFLOW = `import { workflow, schedule } from "cairnjs";
export const heartbeat = workflow(async function heartbeat(source: string, scheduledAt: string) {
  return source + " " + scheduledAt;
});
export const beat = schedule({ every: "1s" }, heartbeat, { input: { source: "cli" } });
`;

const project = tempProject("outside", { "package.json": JSON.stringify({ name: "app", type: "module" }), "wf.ts": WORKFLOW });
const schema = freshSchemaName("clisched");
let env: Record<string, string>;
let db: Db;
const workers: Array<{ child: ChildProcess; exit: Promise<number | null>; stderr: () => string }> = [];

function startWorker() {
  const child = spawn(process.execPath, [BIN, "worker", "--ir", "out"], { cwd: project.dir, env: { ...process.env, ...env } });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
  workers.push({ child, exit, stderr: () => err });
}

async function ticks(): Promise<number[]> {
  const rows = await db.query<{ idempotency_key: string }>(`SELECT idempotency_key FROM "${schema}".instances WHERE idempotency_key LIKE 'schedule:beat:%'`);
  return rows.map((r) => Date.parse(r.idempotency_key.slice("schedule:beat:".length))).sort((a, b) => a - b);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  env = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema };
  db = await openTestDb();
});
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await dropSchema(db, schema);
  await db.close();
  project.cleanup();
});

describe("cairn schedules", () => {
  it("two worker processes serve a built schedule, one instance per tick; list, pause and resume it", async () => {
    const built = await cairn(["build", "wf.ts", "--out", "out"], project.dir, env);
    expect([built.code, built.stderr]).toEqual([0, "cairn build: wrote 1 workflow and 1 schedule to out\n"]);
    const none = await cairn(["schedules"], project.dir, env);
    expect([none.code, none.stdout]).toEqual([0, "no schedules registered (a worker serving a scheduled workflow registers its schedules)\n"]);

    startWorker();
    startWorker();
    await sleep(3_500);
    const list = await cairn(["schedules"], project.dir, env);
    expect(list.code).toBe(0);
    const [head, row] = list.stdout.trimEnd().split("\n");
    expect(head.split(/ {2,}/)).toEqual(["NAME", "WORKFLOW", "SPEC", "NEXT TICK", "LAST INSTANCE", "STATE"]);
    expect(row).toMatch(/^beat +heartbeat +every 1s +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z +[0-9a-f-]{36} \((completed|running)\) +active$/);

    const paused = await cairn(["schedules", "pause", "beat"], project.dir, env);
    expect([paused.code, paused.stderr]).toEqual([0, "cairn: schedule beat paused\n"]);
    await sleep(300);
    const atPause = (await ticks()).length;
    await sleep(1_200);
    expect((await ticks()).length).toBe(atPause);
    const json = JSON.parse((await cairn(["schedules", "--json"], project.dir, env)).stdout) as Array<{ name: string; state: string }>;
    expect(json.map((s) => [s.name, s.state])).toEqual([["beat", "paused"]]);

    const resumed = await cairn(["schedules", "resume", "beat"], project.dir, env);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/^cairn: schedule beat active, next tick \d{4}-.*Z\n$/);
    await sleep(2_300);
    for (const w of workers) w.child.kill("SIGTERM");
    for (const w of workers) expect(await w.exit).toBe(0);
    expect(workers[0].stderr()).toMatch(/serving 0 action\(s\) \[\] and 1 workflow\(s\) \[heartbeat\] and 1 schedule\(s\) \[beat\]/);

    const all = await ticks();
    expect(all.length).toBeGreaterThanOrEqual(atPause + 1);
    expect(new Set(all).size).toBe(all.length);
    // Before the pause one per second with no gap; after it, again from the resume on.
    const before = all.slice(0, atPause);
    expect(before.slice(1).every((t, i) => t - before[i] === 1000)).toBe(true);
    expect(all[atPause] - all[atPause - 1]).toBeGreaterThanOrEqual(2000);
  }, 30_000);

  it("an unknown schedule or subcommand is a usage error (exit 3)", async () => {
    const unknown = await cairn(["schedules", "pause", "nope"], project.dir, env);
    expect([unknown.code, unknown.stderr]).toEqual([3, "cairn: error: no schedule named 'nope' (a worker serving its workflow registers it)\n"]);
    const missing = await cairn(["schedules", "resume"], project.dir, env);
    expect([missing.code, missing.stderr]).toEqual([3, "cairn: error: cairn schedules resume needs the schedule's name\n"]);
    const bogus = await cairn(["schedules", "delete", "beat"], project.dir, env);
    expect(bogus.code).toBe(3);
  }, 30_000);
});

describe("README's Schedules section", () => {
  it("shows lines of examples/nightly.ts, and its cairn run prints what README says", async () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Schedules"), readme.indexOf("## What compiles"));
    const example = readFileSync(join(REPO, "examples/nightly.ts"), "utf8");
    const code = section.slice(section.indexOf("```ts\n") + 6, section.indexOf("```", section.indexOf("```ts\n") + 6));
    for (const line of code.trim().split("\n")) expect(example).toContain(line.replace(/ +\/\/ .*$/, ""));
    const [, args, printed] = /npx cairn (run examples\/nightly\.ts .*)\n# (.*)\n/.exec(section)!;
    const argv = args.match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'|'$/g, ""));
    const r = await cairn(argv, REPO);
    expect([r.code, r.stdout]).toEqual([0, printed + "\n"]);
  }, 30_000);
});
