/**
 * `cairnjs/webpack` inside real webpack builds of a fixture project: artifacts
 * (webpack assets), handles, source maps, durable and in-memory runs of the
 * development and the production (minified) build, and compilation errors whose
 * text carries the locations, hints and frames.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import webpack, { type Configuration, type Stats } from "webpack";
import cairn from "cairnjs/webpack";
import { BAD_FILES, CLASH_FILES, GOOD_FILES, WARN_FILES, badDiagnostics, clashError, createProject, warnDiagnostic, type TempProject } from "./helpers/bundler-project.ts";
import {
  MAP_NEEDLES, expectArtifacts, expectHandles, expectNoWorkflowBodies, expectRunsDurably, expectRunsLocally, expectSourceMap, importBundle,
} from "./helpers/bundle-checks.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";

const TS_LOADER = fileURLToPath(new URL("./helpers/esbuild-ts-loader.cjs", import.meta.url));

function build(project: TempProject, options: { mode: "development" | "production"; dir: string }): Promise<Stats> {
  const config: Configuration = {
    mode: options.mode,
    context: project.dir,
    entry: "./src/index.ts",
    target: "node20",
    devtool: "source-map",
    output: { path: project.path(options.dir), filename: "index.mjs", module: true, library: { type: "module" }, chunkFormat: "module" },
    experiments: { outputModule: true },
    resolve: { extensions: [".ts", ".js"] },
    module: { rules: [{ test: /\.ts$/, use: [{ loader: TS_LOADER }] }] },
    plugins: [cairn()],
    infrastructureLogging: { level: "none" },
  };
  const compiler = webpack(config);
  return new Promise((resolve, reject) =>
    compiler.run((err, stats) => compiler.close(() => (err ? reject(err) : resolve(stats!)))),
  );
}

describe("cairnjs/webpack", () => {
  let project: TempProject;
  let env: DurableEnv;
  beforeAll(async () => {
    project = createProject("webpack", GOOD_FILES);
    env = await durableEnv("pg", "bundle_webpack");
  });
  afterAll(async () => {
    await env?.close();
    project?.remove();
  });

  test("a build emits artifacts and a manifest, and its bundle runs the workflows durably and in memory", async () => {
    const stats = await build(project, { mode: "development", dir: "dist" });
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
    const expected = await expectArtifacts(project.path("dist/cairn"), project);
    const text = readFileSync(project.path("dist/index.mjs"), "utf8");
    expectNoWorkflowBodies(text);
    expectSourceMap(text, readFileSync(project.path("dist/index.mjs.map"), "utf8"), MAP_NEEDLES);
    const bundle = await importBundle(project.path("dist/index.mjs"));
    expectHandles(bundle, expected);
    await expectRunsLocally(bundle);
    await expectRunsDurably(env, bundle);
  });

  test("a production (minified) build still runs, matching error classes by name", async () => {
    const stats = await build(project, { mode: "production", dir: "dist-prod" });
    expect(stats.hasErrors()).toBe(false);
    await expectArtifacts(project.path("dist-prod/cairn"), project);
    const text = readFileSync(project.path("dist-prod/index.mjs"), "utf8");
    expect(text).not.toContain("class PaymentDeclined");
    const bundle = await importBundle(project.path("dist-prod/index.mjs"));
    await expectRunsLocally(bundle);
    await expectRunsDurably(env, bundle);
  });

  test("compile errors are compilation errors whose text carries location, hint and frame of each", async () => {
    const bad = createProject("webpack-bad", BAD_FILES);
    try {
      const stats = await build(bad, { mode: "development", dir: "dist" });
      expect(stats.hasErrors()).toBe(true);
      const printed = stats.toString({ all: false, errors: true, colors: false });
      const [first, second] = badDiagnostics(bad);
      expect(printed).toContain(
        [first.header, `  ${first.hint}`, `> 6 | ${first.lineText}`, "    |                   ^^^^^^^^^^", "", second.header, `  ${second.hint}`, `> 7 | ${second.lineText}`].join("\n"),
      );
      expect(existsSync(bad.path("dist/cairn"))).toBe(false);
    } finally {
      bad.remove();
    }
  });

  test("workflows of two modules calling two different actions of one name are a compilation error, and no artifact is emitted", async () => {
    const clash = createProject("webpack-clash", CLASH_FILES);
    try {
      const stats = await build(clash, { mode: "development", dir: "dist" });
      expect(stats.toJson({ all: false, errors: true }).errors!.map((e) => e.message)).toEqual([`[cairn] ${clashError(clash)}`]);
      expect(existsSync(clash.path("dist/cairn"))).toBe(false);
    } finally {
      clash.remove();
    }
  });

  test("a compiler warning is a compilation warning whose text carries location, hint and frame, and the build goes on", async () => {
    const warn = createProject("webpack-warn", WARN_FILES);
    try {
      const stats = await build(warn, { mode: "development", dir: "dist" });
      expect(stats.hasErrors()).toBe(false);
      const d = warnDiagnostic(warn);
      const texts = stats.compilation.warnings.map((w) => w.message);
      expect(texts.filter((t) => t.includes("CAIRN"))).toHaveLength(1);
      expect(stats.toString({ all: false, warnings: true, colors: false })).toContain([d.header, `  ${d.hint}`, `> 8 | ${d.lineText}`].join("\n"));
      expect(JSON.parse(readFileSync(warn.path("dist/cairn/manifest.json"), "utf8")).workflows.map((w: { name: string }) => w.name)).toEqual(["bump"]);
    } finally {
      warn.remove();
    }
  });

  test("watch mode recompiles only what changed, reaches a module that starts importing cairn, and drops removed workflows", async () => {
    const watched = createProject("webpack-watch", {
      ...GOOD_FILES,
      "src/late.ts": "export const late = 1;\n",
      "src/index.ts": `${GOOD_FILES["src/index.ts"]}export * from "./late.ts";\n`,
    });
    const compiled: string[] = [];
    const compiler = webpack({
      mode: "development",
      context: watched.dir,
      entry: "./src/index.ts",
      target: "node20",
      devtool: false,
      output: { path: watched.path("dist"), filename: "index.mjs", module: true, library: { type: "module" }, chunkFormat: "module" },
      experiments: { outputModule: true },
      resolve: { extensions: [".ts", ".js"] },
      module: { rules: [{ test: /\.ts$/, use: [{ loader: TS_LOADER }] }] },
      // Memory only: this is about what a rebuild recompiles (the disk cache has its own tests).
      plugins: [cairn({ cacheDir: false, onCompile: (file) => compiled.push(file.slice(watched.dir.length + 1)) })],
      infrastructureLogging: { level: "none" },
    });
    const builds: Array<Stats | Error> = [];
    let wake: () => void = () => {};
    const watching = compiler.watch({ aggregateTimeout: 50 }, (err, stats) => {
      builds.push(err ?? stats!);
      wake();
    });
    const nextBuild = async (): Promise<Stats> => {
      while (builds.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const b = builds.shift()!;
      if (b instanceof Error) throw b;
      expect(b.toJson({ all: false, errors: true }).errors).toEqual([]);
      return b;
    };
    const manifest = () => JSON.parse(readFileSync(watched.path("dist/cairn/manifest.json"), "utf8")) as { workflows: Array<{ name: string; actions: string[] }> };
    try {
      await nextBuild();
      expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      const actions = watched.path("src/actions.ts");
      writeFileSync(actions, readFileSync(actions, "utf8").replace('action("send-email"', 'action("send-mail"'));
      await nextBuild();
      expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      expect(manifest().workflows.flatMap((w) => w.actions)).toContain("send-mail");
      const workflows = watched.path("src/workflows.ts");
      writeFileSync(workflows, readFileSync(workflows, "utf8").replace('"Welcome!"', '"Welcome aboard!"'));
      await nextBuild();
      expect(compiled.splice(0)).toEqual(["src/workflows.ts"]);
      writeFileSync(watched.path("src/late.ts"), `import { workflow } from "cairnjs";\nexport const late = workflow(async function late() { return 1; });\n`);
      await nextBuild();
      expect(compiled.splice(0)).toEqual(["src/late.ts"]);
      expect(manifest().workflows.map((w) => w.name)).toEqual(["Digest", "late", "onboarding"]);
      writeFileSync(workflows, "export const onboarding = 1;\nexport const Digest = 2;\n");
      await nextBuild();
      expect(manifest().workflows.map((w) => w.name)).toEqual(["late"]);
    } finally {
      await new Promise<void>((resolve) => (watching ? watching.close(() => resolve()) : resolve()));
      watched.remove();
    }
  }, 60_000);
});

