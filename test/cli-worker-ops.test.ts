/**
 * Operating `cairn worker`: configured by CAIRN_* variables alone (json logs whose
 * every line has its time, and a call's its instance, workflow and call), its
 * health endpoint (ready once serving; 503 while the database is unreachable,
 * through a TCP proxy the test cuts; ready again once it is back), and `npx cairn
 * worker` stopping gracefully when npx gets SIGTERM. Real processes, the suite's server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO, cairn, tempProject } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

const WORKFLOW = `import { action, workflow } from "cairnjs";
export const double = action(async function double(n: number): Promise<number> { return n * 2; });
export const twice = workflow(async function twice(n: number) {
  const once = await double(n);
  console.log("once is", once);
  return await double(once);
});
`;

const project = tempProject("outside", { "package.json": '{ "type": "module" }\n', "wf.ts": WORKFLOW });
const schema = freshSchemaName("ops");
let env: Record<string, string>;

beforeAll(() => {
  env = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema };
});
afterAll(async () => {
  const db = await openTestDb();
  await dropSchema(db, schema);
  await db.close();
  project.cleanup();
});

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Spawns `command args` in the project and waits until its stderr matches `ready`. */
async function launch(command: string, args: string[], extraEnv: Record<string, string>, ready: RegExp): Promise<Running> {
  const child = spawn(command, args, { cwd: project.dir, env: { ...process.env, ...env, ...extraEnv } });
  let err = "";
  const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (c: Buffer) => {
      err += c.toString();
      if (ready.test(err)) resolve();
    });
    void exit.then(() => reject(new Error(`exited before ready:\n${err}`)));
  });
  return { child, stderr: () => err, exit };
}

async function probe(port: number, route: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`);
  return { status: res.status, body: await res.json() };
}

/** A TCP proxy to the suite's Postgres that the test can cut (connections dropped, new ones refused) and restore. */
async function proxyToDatabase(): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const target = new URL(databaseUrl());
  const sockets = new Set<Socket>();
  const make = (): Server =>
    createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(databaseUrl());
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    restore: async () => {
      server = make();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
  };
}

describe("cairn worker, operated", () => {
  it("takes its settings from CAIRN_* variables: json log lines with time, instance, workflow and call; health goes 503 while the database is away", async () => {
    const proxy = await proxyToDatabase();
    const worker = await launch(process.execPath, [BIN, "worker", "wf.ts"], {
      DATABASE_URL: proxy.url, CAIRN_LOG_FORMAT: "json", CAIRN_LOG_LEVEL: "debug", CAIRN_HEALTH_PORT: "0",
      CAIRN_CONCURRENCY: "3", CAIRN_POOL: "3", CAIRN_POLL: "200ms",
    }, /"msg":"worker \S+ on .* serving/);
    try {
      const port = Number(/health checks on http:\/\/localhost:(\d+)\/healthz/.exec(worker.stderr())![1]);
      expect(await probe(port, "/readyz")).toEqual({ status: 200, body: { status: "ready", database: "ok" } });
      expect(await probe(port, "/healthz")).toEqual({ status: 200, body: { status: "ok", database: "ok" } });
      expect((await probe(port, "/nope")).status).toBe(404);

      const started = await cairn(["start", "wf.ts", "--input", '{"n":3}'], project.dir, env);
      const id = started.stdout.trim();
      expect(await cairn(["result", id, "--wait"], project.dir, env)).toEqual({ code: 0, stdout: "12\n", stderr: "" });
      const records = worker.stderr().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const r of records) expect(r.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const mine = records.filter((r) => r.instance === id);
      // By call (a call's successor may start before its own "done" line, which follows the commit).
      const byCall = mine.map((r) => [r.call, r.level, r.msg, r.workflow]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(byCall).toEqual([
        ["c1", "debug", "double started", "twice"],
        ["c1", "info", "double done", "twice"],
        ["c2", "debug", "double started", "twice"],
        ["c2", "info", "double done", "twice"],
        ["l1", "info", "once is 6", "twice"],
      ]);

      await proxy.cut();
      await expect.poll(() => probe(port, "/healthz"), { timeout: 10_000 }).toMatchObject({ status: 503, body: { status: "unhealthy" } });
      expect(await probe(port, "/readyz")).toMatchObject({ status: 503, body: { status: "unhealthy" } });
      await proxy.restore();
      await expect.poll(() => probe(port, "/readyz"), { timeout: 10_000 }).toEqual({ status: 200, body: { status: "ready", database: "ok" } });
    } finally {
      worker.child.kill("SIGTERM");
    }
    expect(await worker.exit).toBe(0);
    expect(worker.stderr()).toContain('"msg":"worker stopped"');
  }, 90_000);

  it("a bad setting exits 3 naming the variable", async () => {
    const r = await cairn(["worker", "wf.ts"], project.dir, { ...env, CAIRN_LOG_FORMAT: "xml" });
    expect(r).toEqual({ code: 3, stdout: "", stderr: "cairn: error: CAIRN_LOG_FORMAT must be text or json, not xml\n" });
  });

  it("npx cairn worker: SIGTERM to npx stops the worker gracefully instead of orphaning it", async () => {
    mkdirSync(join(project.dir, "node_modules/.bin"), { recursive: true });
    symlinkSync(BIN, join(project.dir, "node_modules/.bin/cairn"));
    symlinkSync(REPO, join(project.dir, "node_modules/cairnjs"));
    const npx = await launch("npx", ["--no-install", "cairn", "worker", "wf.ts"], {}, /cairn: worker \S+ on .* serving/);
    const pid = Number(/cairn: worker [^:\s]+:(\d+):/.exec(npx.stderr())![1]);
    npx.child.kill("SIGTERM");
    await npx.exit;
    // The worker itself (npx's grandchild) stops on its own, finishing as on SIGTERM.
    await expect.poll(() => alive(pid), { timeout: 10_000, interval: 100 }).toBe(false);
    expect(npx.stderr()).toMatch(/cairn: stopping: finishing running actions \(up to 10s\)\n.*cairn: worker stopped\n$/);
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
