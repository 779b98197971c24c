/**
 * `cairnjs/esbuild` inside real esbuild builds of a fixture project: artifacts,
 * handles, source maps, durable and in-memory runs of the bundle (plain and
 * minified), diagnostics in esbuild's own messages, and incremental rebuilds.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as esbuild from "esbuild";
import cairn from "cairnjs/esbuild";
import { join } from "node:path";
import { artifactFileName } from "../ir-schema/index.ts";
import { exactPaths, notUnder, outsideFilter } from "../plugin/bundler/path-filters.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";
import { BAD_FILES, CLASH_FILES, GOOD_FILES, WARN_FILES, badDiagnostics, clashError, createProject, shown, warnDiagnostic, type TempProject } from "./helpers/bundler-project.ts";
import {
  MAP_NEEDLES, cliArtifacts, expectArtifacts, expectHandles, expectNoWorkflowBodies, expectRunsDurably, expectRunsLocally, expectSourceMap, importBundle,
} from "./helpers/bundle-checks.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";

const build = (project: TempProject, options: esbuild.BuildOptions) =>
  esbuild.build({
    absWorkingDir: project.dir,
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    ...options,
  });

describe("cairnjs/esbuild", () => {
  let project: TempProject;
  let env: DurableEnv;
  beforeAll(async () => {
    project = createProject("esbuild", GOOD_FILES);
    env = await durableEnv("pg", "bundle_esbuild");
  });
  afterAll(async () => {
    await env?.close();
    project?.remove();
  });

  test("a build writes artifacts and a manifest, and its bundle runs the workflows durably and in memory", async () => {
    const result = await build(project, { outdir: "dist", sourcemap: true, plugins: [cairn()] });
    expect(result.errors).toEqual([]);
    const expected = await expectArtifacts(project.path("dist/cairn"), project);
    const text = readFileSync(project.path("dist/index.js"), "utf8");
    expectNoWorkflowBodies(text);
    expectSourceMap(text, readFileSync(project.path("dist/index.js.map"), "utf8"), MAP_NEEDLES);
    const bundle = await importBundle(project.path("dist/index.js"));
    expectHandles(bundle, expected);
    await expectRunsLocally(bundle);
    await expectRunsDurably(env, bundle);
  });

  test("a minified build still runs, matching error classes by name", async () => {
    await build(project, { outdir: "dist-min", minify: true, plugins: [cairn()] });
    const text = readFileSync(project.path("dist-min/index.js"), "utf8");
    expect(text).not.toContain("class PaymentDeclined"); // the minifier did rename the classes
    const bundle = await importBundle(project.path("dist-min/index.js"));
    await expectRunsLocally(bundle);
    await expectRunsDurably(env, bundle);
  });

  test("modules outside the working directory (a monorepo's shared code) are compiled too, and a minified bundle of them runs", async () => {
    const monorepo = createProject("esbuild-outside", { ...GOOD_FILES, "app/index.ts": `export * from "../src/index.ts";\n` });
    try {
      const compiled: string[] = [];
      const result = await esbuild.build({
        absWorkingDir: monorepo.path("app"), entryPoints: ["index.ts"], bundle: true, platform: "node", format: "esm", outdir: "dist", minify: true, logLevel: "silent",
        plugins: [cairn({ onCompile: (file) => compiled.push(file.slice(monorepo.dir.length + 1)) })],
      });
      expect(result.errors).toEqual([]);
      expect(compiled.sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      await expectArtifacts(monorepo.path("app/dist/cairn"), monorepo);
      const bundle = await importBundle(monorepo.path("app/dist/index.js"));
      await expectRunsLocally(bundle);
      await expectRunsDurably(env, bundle);
    } finally {
      monorepo.remove();
    }
  });

  test("a module another plugin serves in the file namespace, at a path with no file, is left to that plugin", async () => {
    const virtual: esbuild.Plugin = {
      name: "virtual",
      setup(b) {
        b.onResolve({ filter: /^virtual:answer$/ }, () => ({ path: "/nonexistent-cairn-test/answer.ts", namespace: "file" }));
        b.onLoad({ filter: /answer\.ts$/ }, () => ({ contents: "export const answer: number = 42;", loader: "ts" }));
      },
    };
    project.write("src/virtual-entry.ts", `export { answer } from "virtual:answer";\n`);
    const result = await build(project, { entryPoints: ["src/virtual-entry.ts"], outdir: "dist-virtual", plugins: [cairn(), virtual] });
    expect(result.errors).toEqual([]);
    expect((await importBundle(project.path("dist-virtual/virtual-entry.js"))).answer).toBe(42);
  });

  test("outDir puts the artifacts elsewhere; write: false hands them back as output files", async () => {
    await build(project, { outdir: "dist-out", plugins: [cairn({ outDir: project.path("prebuilt") })] });
    await expectArtifacts(project.path("prebuilt"), project);
    expect(existsSync(project.path("dist-out/cairn"))).toBe(false);
    const result = await build(project, { outdir: "dist-mem", write: false, plugins: [cairn()] });
    const artifacts = cliArtifacts(project).map((a) => `dist-mem/cairn/${artifactFileName(a)}`);
    const names = (result.outputFiles ?? []).map((f) => f.path.slice(project.dir.length + 1)).sort();
    expect(names).toEqual([...artifacts, "dist-mem/cairn/manifest.json", "dist-mem/index.js"].sort());
    expect(existsSync(project.path("dist-mem"))).toBe(false);
  });

  test("compile errors fail the build with esbuild messages: location, line text and the hint as a note", async () => {
    const bad = createProject("esbuild-bad", BAD_FILES);
    try {
      const error = (await build(bad, { outdir: "dist", plugins: [cairn()] }).catch((e: unknown) => e)) as esbuild.BuildFailure;
      expect(error.errors.map((m) => ({ text: m.text, plugin: m.pluginName, location: m.location, notes: m.notes.slice(0, 1).map((n) => n.text) }))).toEqual(
        badDiagnostics(bad).map((d) => ({
          text: d.text,
          plugin: "cairn",
          location: {
            file: shown(bad, "src/bad.ts"), namespace: "file", line: d.line, column: d.column - 1,
            length: d.lineText.includes("Date.now()") ? "Date.now()".length : "new Map()".length, lineText: d.lineText, suggestion: "",
          },
          notes: [d.hint],
        })),
      );
      const printed = (await esbuild.formatMessages(error.errors, { kind: "error", color: false })).join("\n");
      for (const d of badDiagnostics(bad)) {
        expect(printed).toContain(`✘ [ERROR] ${d.text} [plugin cairn]`);
        expect(printed).toContain(`  ${d.hint}`);
        expect(printed).toContain(`${d.line} │ ${d.lineText}`);
      }
      expect(existsSync(bad.path("dist/cairn"))).toBe(false);
    } finally {
      bad.remove();
    }
  });

  test("workflows of two modules calling two different actions of one name fail the build, and no artifact is written", async () => {
    const clash = createProject("esbuild-clash", CLASH_FILES);
    try {
      const error = (await build(clash, { outdir: "dist", plugins: [cairn()] }).catch((e: unknown) => e)) as esbuild.BuildFailure;
      expect(error.errors.map((m) => ({ text: m.text, location: m.location }))).toEqual([{ text: clashError(clash).split("\n")[0], location: null }]);
      expect(existsSync(clash.path("dist/cairn"))).toBe(false);
    } finally {
      clash.remove();
    }
  });

  test("a compiler warning is an esbuild warning with location and hint, and the build goes on", async () => {
    const warn = createProject("esbuild-warn", WARN_FILES);
    try {
      const result = await build(warn, { outdir: "dist", plugins: [cairn()] });
      const d = warnDiagnostic(warn);
      expect(result.errors).toEqual([]);
      expect(result.warnings.map((m) => ({ text: m.text, plugin: m.pluginName, line: m.location?.line, column: m.location?.column, lineText: m.location?.lineText, notes: m.notes.map((n) => n.text) }))).toEqual([
        { text: d.text, plugin: "cairn", line: d.line, column: d.column - 1, lineText: d.lineText, notes: [d.hint] },
      ]);
      expect(JSON.parse(readFileSync(warn.path("dist/cairn/manifest.json"), "utf8")).workflows.map((w: { name: string }) => w.name)).toEqual(["bump"]);
    } finally {
      warn.remove();
    }
  });

  test("rebuilds compile only the modules whose content (or whose imports) changed", async () => {
    const compiled: string[] = [];
    const ctx = await esbuild.context({
      absWorkingDir: project.dir, entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm", outdir: "dist-watch", logLevel: "silent",
      // Memory only: this is about what a rebuild recompiles (the disk cache has its own tests).
      plugins: [cairn({ cacheDir: false, onCompile: (file) => compiled.push(file.slice(project.dir.length + 1)) })],
    });
    try {
      await ctx.rebuild();
      expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      await ctx.rebuild();
      expect(compiled.splice(0)).toEqual([]);
      const workflows = project.path("src/workflows.ts");
      writeFileSync(workflows, readFileSync(workflows, "utf8").replace('"Welcome!"', '"Welcome aboard!"'));
      await ctx.rebuild();
      expect(compiled.splice(0)).toEqual(["src/workflows.ts"]);
      const actions = project.path("src/actions.ts");
      writeFileSync(actions, readFileSync(actions, "utf8") + "\nexport const extra = 1;\n");
      await ctx.rebuild();
      expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      const manifest = JSON.parse(readFileSync(project.path("dist-watch/cairn/manifest.json"), "utf8")) as { workflows: { name: string }[] };
      expect(manifest.workflows.map((w) => w.name)).toEqual(["Digest", "onboarding"]);
    } finally {
      await ctx.dispose();
      project.write("src/workflows.ts", GOOD_FILES["src/workflows.ts"]);
      project.write("src/actions.ts", GOOD_FILES["src/actions.ts"]);
    }
  });
});

describe("esbuild's path filters", () => {
  test("notUnder matches every path outside the given folders, shorter and sibling names included", () => {
    const filter = notUnder(["/w/app/", "/w/node_modules/", "/w/app/deep/", "/x]y-^\\/"]);
    const paths = ["/w/app/a.ts", "/w/app/deep/b.ts", "/w/node_modules/x/i.js", "/x]y-^\\/f.ts", "/w/app", "/w/apps/a.ts", "/w/ap", "/w/shared/a.ts", "/x]y-^\\", "/z.ts"];
    expect(paths.filter((p) => filter.test(p))).toEqual(["/w/app", "/w/apps/a.ts", "/w/ap", "/w/shared/a.ts", "/x]y-^\\", "/z.ts"]);
    expect(exactPaths([]).test("/a.ts")).toBe(false);
    expect(["/a.ts", "/aXts", "/a.ts.bak"].map((p) => exactPaths(["/a.ts"]).test(p))).toEqual([true, false, false]);
  });

  test("the plugin checks files outside the working directory, but not installed packages or cairn's own code", () => {
    const filter = outsideFilter("/repo/apps/web");
    const paths = [
      "/repo/apps/web/src/a.ts", "/repo/apps/web/node_modules/x/i.js", "/repo/node_modules/x/i.js", "/node_modules/y.js",
      join(REPO_ROOT, "runtime/index.ts"), join(REPO_ROOT, "index.ts"), join(REPO_ROOT, "dist/runtime/index.js"),
      "/repo/packages/shared/src/actions.ts", "/repo/apps/website/a.ts", join(REPO_ROOT, "test/tmp/p/src/a.ts"),
    ];
    expect(paths.filter((p) => filter.test(p))).toEqual(["/repo/packages/shared/src/actions.ts", "/repo/apps/website/a.ts", join(REPO_ROOT, "test/tmp/p/src/a.ts")]);
  });
});
