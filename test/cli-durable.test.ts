/**
 * The durable CLI, as a user runs it: real `cairn` processes against real Postgres.
 * Most tests use the suite's server (DATABASE_URL) in a schema of their own; one
 * runs with DATABASE_URL unset, so cairn starts and reuses an embedded server.
 */
import { chmodSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import cairnEsbuild from "cairnjs/esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopEmbeddedPostgres } from "../runtime/store/embedded.ts";
import { spawn } from "node:child_process";
import { BIN, cairn, tempProject } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

const WORKFLOW = `import { action, workflow, sleep } from "cairnjs";
export class PaymentDeclined extends Error {}
export const charge = action(async function charge(amount: number): Promise<string> {
  if (amount > 100) throw new PaymentDeclined("amount " + amount + " over limit");
  return "receipt-" + amount;
});
export const notify = action("notify-user", async (user: string, receipt: string) => user + ":" + receipt);
export const checkout = workflow(async function checkout(user: string, amount: number) {
  const receipt = await charge(amount);
  await sleep("20ms");
  return { receipt, note: await notify(user, receipt) };
});
`;

/**
 * A project and a schema of its own on the suite's server, both removed after the
 * describe block; `env` (set before its tests run) points cairn at that schema.
 */
function onSuiteServer(files: Record<string, string>) {
  const ctx = { project: tempProject("outside", files), schema: freshSchemaName("cli"), env: {} as Record<string, string> };
  beforeAll(() => {
    ctx.env = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: ctx.schema };
  });
  afterAll(async () => {
    const db = await openTestDb();
    await dropSchema(db, ctx.schema);
    await db.close();
    ctx.project.cleanup();
  });
  return ctx;
}

describe("durable commands on DATABASE_URL", () => {
  const ctx = onSuiteServer({ "wf.ts": WORKFLOW });
  const { project, schema } = ctx;
  let env: Record<string, string>;
  beforeAll(() => {
    env = ctx.env;
  });

  it("run (durable) prints the result; a failure prints the error JSON and exits 1", async () => {
    const ok = await cairn(["run", "wf.ts", "--input", '{"user":"ada","amount":42}'], project.dir, env);
    expect(ok.stdout).toBe('{"receipt":"receipt-42","note":"ada:receipt-42"}\n');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/cairn: running checkout durably on postgres:\/\//);
    const bad = await cairn(["run", "wf.ts", "--input", '{"user":"ada","amount":500}'], project.dir, env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trimEnd().split("\n").at(-1)).toBe('{"name":"PaymentDeclined","message":"amount 500 over limit"}');
  }, 60_000);

  it("migrate, start, result (exit 4 while running), worker, status", async () => {
    const m = await cairn(["migrate"], project.dir, env);
    expect(m.code).toBe(0);
    expect(m.stderr).toMatch(new RegExp(`^cairn: schema ${schema} on .* is up to date\\n$`));
    const started = await cairn(["start", "wf.ts", "--input", '{"user":"bo","amount":7}', "--idempotency-key", "order-7"], project.dir, env);
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await cairn(["start", "wf.ts", "--input", '{"user":"bo","amount":7}', "--idempotency-key", "order-7"], project.dir, env);
    expect(again.stdout).toBe(`${id}\n`);

    const pending = await cairn(["result", id], project.dir, env);
    expect(pending).toEqual({ code: 4, stdout: "", stderr: `cairn: instance ${id} is still running (use --wait to wait for it)\n` });
    const waiting = await cairn(["status", id], project.dir, env);
    expect(waiting.stdout).toContain(`${id}  checkout  running`);
    expect(waiting.stdout).toMatch(/c1 +charge +ready +attempt 0 +\(no live worker has action 'charge'\)/);

    const worker = spawn(process.execPath, [BIN, "worker", "wf.ts", "--quiet"], { cwd: project.dir, env: { ...process.env, ...env } });
    let workerErr = "";
    worker.stderr.on("data", (c: Buffer) => (workerErr += c.toString()));
    const workerExit = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    const done = await cairn(["result", id, "--wait"], project.dir, env);
    expect(done).toEqual({ code: 0, stdout: '{"receipt":"receipt-7","note":"bo:receipt-7"}\n', stderr: "" });
    const status = await cairn(["status", id, "--json"], project.dir, env);
    const report = JSON.parse(status.stdout) as { status: string; history: { kind: string }[] };
    expect(report.status).toBe("completed");
    expect(report.history.map((h) => h.kind)).toEqual([
      "started", "dispatched", "waiting", "attempt", "resolved", "sleeping", "woke", "dispatched", "waiting", "attempt", "resolved", "completed",
    ]);
    const list = await cairn(["status"], project.dir, env);
    expect(list.stdout).toContain(`${id}  completed`);
    // SIGTERM: the worker shuts down gracefully and exits 0.
    worker.kill("SIGTERM");
    expect(await workerExit).toBe(0);
    expect(workerErr).toMatch(/cairn: worker .* serving 2 action\(s\) \[charge, notify-user\] and 1 workflow\(s\) \[checkout\]/);
    expect(workerErr).toMatch(/cairn: worker stopped\n$/);
  }, 120_000);
});

describe("cairn cancel", () => {
  const ctx = onSuiteServer({ "wf.ts": WORKFLOW });

  it("cancels a running instance, which then fails with the reason; a finished one is left alone; bad ids are usage errors", async () => {
    const { project, env } = ctx;
    // No worker: the instance waits on its first action.
    const started = await cairn(["start", "wf.ts", "--input", '{"user":"cy","amount":3}'], project.dir, env);
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(await cairn(["cancel", id, "--reason", "customer asked"], project.dir, env)).toEqual({ code: 0, stdout: "", stderr: `cairn: cancelled ${id}\n` });
    expect(await cairn(["result", id], project.dir, env)).toEqual({ code: 1, stdout: "", stderr: '{"name":"CancelledError","message":"customer asked"}\n' });
    const status = JSON.parse((await cairn(["status", id, "--json"], project.dir, env)).stdout) as { status: string; history: Array<{ kind: string }> };
    expect([status.status, status.history.at(-1)!.kind]).toEqual(["cancelled", "cancelled"]);
    expect(await cairn(["cancel", id], project.dir, env)).toEqual({
      code: 0,
      stdout: "",
      stderr: `cairn: instance ${id} had already finished (cancelled); nothing to cancel\n`,
    });
    for (const command of ["cancel", "status", "result"]) {
      expect(await cairn([command, "bad-id"], project.dir, env)).toEqual({ code: 3, stdout: "", stderr: "cairn: error: not a workflow instance id: bad-id\n" });
    }
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await cairn(["cancel", unknown], project.dir, env)).toEqual({ code: 3, stdout: "", stderr: `cairn: error: no workflow instance ${unknown}\n` });
  }, 60_000);
});

describe("a deployment: cairn worker serving a bundle and its prebuilt IR", () => {
  // No package.json: the bundle is an ES module in a typeless `.js`, which Node loads by its syntax.
  const ctx = onSuiteServer({ "wf.ts": WORKFLOW, "admin.ts": `export { charge } from "./wf.ts";\n` });
  const project = ctx.project;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = ctx.env;
    // cairn left external, as a Node service ships it (the CLI resolves it for the
    // bundle); two entry points, so the workflow's code lands in a shared chunk.
    const built = await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["wf.ts", "admin.ts"], bundle: true, splitting: true, platform: "node", format: "esm",
      external: ["cairnjs"], outdir: "dist", logLevel: "silent", plugins: [cairnEsbuild()],
    });
    expect(built.errors).toEqual([]);
    expect(readdirSync(join(project.dir, "dist")).filter((f) => f.startsWith("chunk-"))).toHaveLength(1);
  });

  it("cairn worker dist/wf.js --ir dist/cairn runs what cairn start starts; a tampered artifact stops it with the file and the reason", async () => {
    const worker = spawn(process.execPath, [BIN, "worker", "dist/wf.js", "--ir", "dist/cairn"], { cwd: project.dir, env: { ...process.env, ...env } });
    let workerErr = "";
    worker.stderr.on("data", (c: Buffer) => (workerErr += c.toString()));
    const workerExit = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    try {
      const started = await cairn(["start", "wf.ts", "--input", '{"user":"cy","amount":9}'], project.dir, env);
      expect(started.code).toBe(0);
      const done = await cairn(["result", started.stdout.trim(), "--wait"], project.dir, env);
      expect(done).toEqual({ code: 0, stdout: '{"receipt":"receipt-9","note":"cy:receipt-9"}\n', stderr: "" });
      // A deploy that ships only the bundle and its IR starts instances from the IR.
      for (const args of [["--ir", "dist/cairn", "-w", "checkout"], ["dist/cairn"]]) {
        const fromIr = await cairn(["start", ...args, "--input", '{"user":"di","amount":4}'], project.dir, env);
        expect([fromIr.code, fromIr.stderr]).toEqual([0, ""]);
        const ended = await cairn(["result", fromIr.stdout.trim(), "--wait"], project.dir, env);
        expect(ended.stdout).toBe('{"receipt":"receipt-4","note":"di:receipt-4"}\n');
      }
      const unknown = await cairn(["start", "--ir", "dist/cairn", "-w", "nope"], project.dir, env);
      expect([unknown.code, unknown.stderr]).toEqual([3, "cairn: error: no workflow named nope in dist/cairn; it defines: checkout\n"]);
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await workerExit).toBe(0);
    // The bundle's handle and the artifact directory hold the same workflow: served once.
    expect(workerErr).toMatch(/cairn: worker .* serving 2 action\(s\) \[charge, notify-user\] and 1 workflow\(s\) \[checkout\]/);

    const [file] = readdirSync(join(project.dir, "dist/cairn")).filter((f) => f.startsWith("checkout."));
    const artifact = join(project.dir, "dist/cairn", file);
    writeFileSync(artifact, readFileSync(artifact, "utf8").replace('"receipt"', '"receipts"'));
    const tampered = await cairn(["worker", "dist/wf.js", "--ir", "dist/cairn"], project.dir, env);
    expect(tampered.code).toBe(3);
    expect(tampered.stderr).toContain(`invalid artifact directory ${join(project.dir, "dist/cairn")}:\n  ${file}: content does not match its hash (modified after it was built)`);
  }, 120_000);

  it("a bundle built without the plugin: each workflow export it cannot serve is named in a warning", async () => {
    const built = await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["wf.ts"], bundle: true, platform: "node", format: "esm",
      external: ["cairnjs"], outdir: "dist-plain", logLevel: "silent",
    });
    expect(built.errors).toEqual([]);
    const r = await serve(project.dir, env, ["dist-plain/wf.js"]);
    expect(r.code).toBe(0);
    // (Without the plugin esbuild also renames the inner function: checkout2.)
    expect(r.stderr).toMatch(
      /cairn: warning: export checkout of dist-plain\/wf\.js is workflow checkout2?, but no cairn bundler plugin compiled it, so it is not served; add the plugin to the build \(cairnjs\/esbuild, \/vite, \/rollup, \/webpack, \/babel\) or serve its prebuilt IR with --ir\n/,
    );
    expect(r.stderr).toMatch(/and 0 workflow\(s\) \[\]/);
  }, 60_000);

  it("a bundle and an artifact directory of different builds: both versions are served, with a warning", async () => {
    writeFileSync(join(project.dir, "v2.ts"), WORKFLOW.replace('"20ms"', '"30ms"'));
    expect((await cairn(["build", "v2.ts", "--out", "dist-v2"], project.dir, env)).code).toBe(0);
    const r = await serve(project.dir, env, ["dist/wf.js", "--ir", "dist-v2"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^cairn: warning: serving 2 versions of workflow checkout: [0-9a-f]{12} from dist\/wf\.js, [0-9a-f]{12} from dist-v2; are they from different builds\?\n/,
    );
    expect(r.stderr).toMatch(/serving 2 action\(s\) \[charge, notify-user\] and 2 workflow\(s\) \[checkout, checkout\]/);
  }, 60_000);
});

describe("embedded Postgres when DATABASE_URL is unset", () => {
  const project = tempProject("outside", { "wf.ts": WORKFLOW });
  chmodSync(project.dir, 0o755);
  afterAll(async () => {
    await stopEmbeddedPostgres(project.dir);
    project.cleanup();
  });

  it("the first command starts it in .cairn/, the next ones reuse it", async () => {
    const env = { DATABASE_URL: "" };
    const [a, b] = await Promise.all([
      cairn(["run", "wf.ts", "--input", '{"user":"x","amount":1}'], project.dir, env),
      cairn(["run", "wf.ts", "--input", '{"user":"y","amount":2}'], project.dir, env),
    ]);
    expect([a.stdout, b.stdout]).toEqual(['{"receipt":"receipt-1","note":"x:receipt-1"}\n', '{"receipt":"receipt-2","note":"y:receipt-2"}\n']);
    expect([a.code, b.code]).toEqual([0, 0]);
    const starts = [a.stderr, b.stderr].filter((s) => s.includes("starting embedded Postgres"));
    expect(starts).toHaveLength(1);
    const c = await cairn(["run", "wf.ts", "--input", '{"user":"z","amount":3}'], project.dir, env);
    expect(c.stdout).toBe('{"receipt":"receipt-3","note":"z:receipt-3"}\n');
    expect(c.stderr).not.toContain("starting embedded Postgres");
    // cairn dev --stop stops it (the data stays); the next command starts it again.
    const stop = await cairn(["dev", "--stop"], project.dir, env);
    expect(stop).toEqual({ code: 0, stdout: "", stderr: "cairn: stopped the embedded Postgres (data kept in .cairn/pg)\n" });
    expect((await cairn(["dev", "--stop"], project.dir, env)).stderr).toBe("cairn: no embedded Postgres runs for this directory\n");
    const d = await cairn(["run", "wf.ts", "--input", '{"user":"w","amount":4}'], project.dir, env);
    expect(d.stdout).toBe('{"receipt":"receipt-4","note":"w:receipt-4"}\n');
    expect(d.stderr).toContain("starting embedded Postgres");
  }, 180_000);
});

/** Starts `cairn worker <args>` in `dir`, waits for its start line, stops it with SIGTERM; its stderr and exit code. */
async function serve(dir: string, env: Record<string, string>, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const worker = spawn(process.execPath, [BIN, "worker", ...args, "--quiet"], { cwd: dir, env: { ...process.env, ...env } });
  let stderr = "";
  const exit = new Promise<number | null>((resolve) => worker.once("exit", resolve));
  await new Promise<void>((resolve) => {
    worker.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (/serving \d+ action/.test(stderr)) resolve();
    });
    void exit.then(() => resolve());
  });
  worker.kill("SIGTERM");
  return { code: await exit, stderr };
}

describe("cairn worker on a directory", () => {
  const ctx = onSuiteServer({
    "src/wf.ts": WORKFLOW,
    "src/extra.ts": `import { action } from "cairnjs";\nexport const audit = action(async function audit(what: string) { return what; });\n`,
    // A test file with an inline action, and a script that starts a workflow: a worker must run neither.
    "test/wf.test.ts": `import { action } from "cairnjs";\nexport const fake = action(async function fake() { return 1; });\nthrow new Error("a test file was imported");\n`,
    "scripts/seed.ts": `import { checkout } from "../src/wf.ts";\nthrow new Error("a script that starts a workflow was imported");\nexport const s = checkout;\n`,
  });

  it("serves the workflows and actions it finds, never importing test files or scripts; a file named explicitly is served", async () => {
    const walk = await serve(ctx.project.dir, ctx.env, ["."]);
    expect(walk.code).toBe(0);
    expect(walk.stderr).toMatch(/serving 3 action\(s\) \[audit, charge, notify-user\] and 1 workflow\(s\) \[checkout\]\n/);
    const named = await serve(ctx.project.dir, ctx.env, ["src/extra.ts"]);
    expect(named.code).toBe(0);
    expect(named.stderr).toMatch(/serving 1 action\(s\) \[audit\] and 0 workflow\(s\) \[\]\n/);
  }, 60_000);
});


