/**
 * The installed CLI (cli/bin.js running dist/runtime/cli.js), on a copy of the
 * package whose dist/ scripts/build.mjs builds afresh: the rest of the suite runs
 * the CLI from its sources (cli/source-bin.js). A deployed worker serving a bundle
 * and prebuilt IR, and a client starting from that IR, load no compiler and no
 * TypeScript loader (every module the process loads is recorded by
 * test/helpers/module-recorder.mjs); `cairn --version` neither; a command that
 * compiles `.ts` still does, from any folder.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import cairnEsbuild from "cairnjs/esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, tempProject, type CliResult } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

const RECORDER = join(REPO, "test/helpers/module-recorder.mjs");
/** What a process serving prebuilt IR must not load: the compiler, the TypeScript loader and what they bring. */
const COMPILER = /\/node_modules\/(@babel|tsx|esbuild|@esbuild|typescript|magic-string|unplugin)\/|\.ts$/;
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

const WORKFLOW = `import { action, workflow } from "cairnjs";
export const double = action(async function double(n: number): Promise<number> { return n * 2; });
export const twice = workflow(async function twice(n: number) {
  const a = await double(n);
  return { n, result: await double(a) };
});
`;

const pkg = tempProject("outside", {});
const app = tempProject("outside", { "wf.ts": WORKFLOW });
const loose = tempProject("outside", { "wf.ts": WORKFLOW });
const schema = freshSchemaName("built");
let env: Record<string, string>;
const bin = () => join(pkg.dir, "cli/bin.js");

beforeAll(async () => {
  env = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema };
  // The package as installed: its files, a dist/ built from this tree, the repository's dependencies.
  for (const entry of ["package.json", "cli"]) cpSync(join(REPO, entry), join(pkg.dir, entry), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(pkg.dir, "node_modules"));
  const built = spawnSync(process.execPath, [join(REPO, "scripts/build.mjs"), pkg.dir, "--no-types"], { encoding: "utf8" });
  expect([built.status, built.stderr]).toEqual([0, ""]);
  // The app: cairn installed in node_modules, a bundle leaving it external, its IR beside.
  mkdirSync(join(app.dir, "node_modules"));
  symlinkSync(pkg.dir, join(app.dir, "node_modules/cairnjs"));
  writeFileSync(join(app.dir, "package.json"), '{ "type": "module" }\n');
  const bundled = await esbuild.build({
    absWorkingDir: app.dir, entryPoints: ["wf.ts"], bundle: true, platform: "node", format: "esm",
    external: ["cairnjs"], outdir: "dist", logLevel: "silent", plugins: [cairnEsbuild()],
  });
  expect(bundled.errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  const db = await openTestDb();
  await dropSchema(db, schema);
  await db.close();
  for (const dir of [pkg, app, loose]) dir.cleanup();
});

/** Runs the built `cairn <args>` in `cwd`, recording the modules it loads; its output, exit code and those modules. */
function builtCairn(args: string[], cwd: string): Promise<CliResult & { modules: string[] }> {
  const record = join(cwd, `modules-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", RECORDER, bin(), ...args], {
      cwd, env: { ...process.env, ...env, NO_COLOR: "1", CAIRN_RECORD_MODULES: record },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("exit", (code) => done({ code, stdout, stderr, modules: recorded(record) }));
  });
}

function recorded(file: string): string[] {
  const lines = existsSync(file) ? readFileSync(file, "utf8").trim().split("\n") : [];
  rmSync(file, { force: true });
  return [...new Set(lines.map((l) => l.replace(/^file:\/\//, "").replace(/\?.*$/, "")))];
}

describe("the built CLI", () => {
  it("cairn --version prints the version and loads no compiler, no TypeScript loader, no source file", async () => {
    const r = await builtCairn(["--version"], app.dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, ""]);
    expect(r.modules.some((m) => m.endsWith("/dist/runtime/cli.js"))).toBe(true);
    expect(r.modules.filter((m) => COMPILER.test(m))).toEqual([]);
  });

  it("a worker serving a bundle and --ir, and cairn start --ir, load no compiler; the instance completes; SIGTERM stops the worker", async () => {
    const record = join(app.dir, "worker-modules.txt");
    const worker = spawn(process.execPath, ["--import", RECORDER, bin(), "worker", "dist/wf.js", "--ir", "dist/cairn"], {
      cwd: app.dir, env: { ...process.env, ...env, CAIRN_RECORD_MODULES: record },
    });
    let stderr = "";
    const exit = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    await new Promise<void>((resolve) => {
      worker.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes(" serving ")) resolve();
      });
      void exit.then(() => resolve());
    });
    try {
      expect(stderr).toMatch(/^\S+Z info  cairn: worker \S+ on postgres:\/\/\S+ serving 1 action\(s\) \[double\] and 1 workflow\(s\) \[twice\]\n/);
      const modules = recorded(record);
      expect(modules.some((m) => m.endsWith("/dist/wf.js"))).toBe(true);
      expect(modules.filter((m) => COMPILER.test(m))).toEqual([]);

      const started = await builtCairn(["start", "--ir", "dist/cairn", "--input", '{"n":3}'], app.dir);
      expect([started.code, started.stderr]).toEqual([0, ""]);
      expect(started.modules.filter((m) => COMPILER.test(m))).toEqual([]);
      const result = await builtCairn(["result", started.stdout.trim(), "--wait"], app.dir);
      expect([result.code, result.stdout, result.stderr]).toEqual([0, '{"n":3,"result":12}\n', ""]);
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await exit).toBe(0);
    expect(stderr).toMatch(/cairn: stopping: finishing running actions \(up to 10s\)\n\S+Z info  cairn: worker stopped\n$/);
  }, 60_000);

  it("in a checkout (.git beside package.json) whose sources changed after the build, it says to rebuild", async () => {
    mkdirSync(join(pkg.dir, ".git"));
    try {
      expect((await builtCairn(["--version"], app.dir)).stderr).toBe("");
      writeFileSync(join(pkg.dir, "cli/edited.ts"), "export {};\n");
      expect(await builtCairn(["--version"], app.dir)).toMatchObject({
        code: 0,
        stdout: `${VERSION}\n`,
        stderr: "cairn: warning: the built CLI (dist/) is older than the sources of this checkout: run `npm run build` (or node cli/source-bin.js)\n",
      });
    } finally {
      rmSync(join(pkg.dir, ".git"), { recursive: true });
      rmSync(join(pkg.dir, "cli/edited.ts"));
    }
  });

  it("cairn run compiles a .ts file outside any project (tsx and the compiler load now), importing cairnjs from the CLI's own copy", async () => {
    const r = await builtCairn(["run", "wf.ts", "--local", "--input", '{"n":5}'], loose.dir);
    expect([r.code, r.stdout]).toEqual([0, '{"n":5,"result":20}\n']);
    expect(r.modules.some((m) => m.includes("/node_modules/tsx/"))).toBe(true);
    expect(r.modules.some((m) => m.includes("/node_modules/@babel/parser/"))).toBe(true);
  }, 60_000);
});
