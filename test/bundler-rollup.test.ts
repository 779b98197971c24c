/**
 * `cairnjs/rollup` inside real Rollup builds of a fixture project (cairn kept
 * external, as a Node service would): artifacts, handles, source maps, durable
 * and in-memory runs (plain and minified), and Rollup's error with `loc`/`frame`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rollup, watch, type RollupError, type RollupLog, type RollupOptions, type RollupWatcherEvent } from "rollup";
import cairn from "cairnjs/rollup";
import { BAD_FILES, CLASH_FILES, GOOD_FILES, WARN_FILES, badDiagnostics, clashError, createProject, shown, warnDiagnostic, type TempProject } from "./helpers/bundler-project.ts";
import {
  MAP_NEEDLES, expectArtifacts, expectHandles, expectNoWorkflowBodies, expectRunsDurably, expectRunsLocally, expectSourceMap, importBundle,
} from "./helpers/bundle-checks.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { minify, typescript } from "./helpers/rollup-esbuild.ts";

async function build(
  project: TempProject,
  options: { plugins: RollupOptions["plugins"]; dir: string; minify?: boolean; onwarn?: (warning: RollupLog) => void },
): Promise<void> {
  const bundle = await rollup({
    input: project.path("src/index.ts"),
    external: [/^cairnjs$/, /^node:/],
    plugins: options.plugins,
    onwarn: options.onwarn ?? (() => {}),
  });
  try {
    await bundle.write({ dir: project.path(options.dir), format: "esm", sourcemap: true, plugins: options.minify ? [minify()] : [] });
  } finally {
    await bundle.close();
  }
}

describe("cairnjs/rollup", () => {
  let project: TempProject;
  let env: DurableEnv;
  beforeAll(async () => {
    project = createProject("rollup", GOOD_FILES);
    env = await durableEnv("pg", "bundle_rollup");
  });
  afterAll(async () => {
    await env?.close();
    project?.remove();
  });

  test("a build writes artifacts and a manifest, and its bundle runs the workflows durably and in memory", async () => {
    await build(project, { dir: "dist", plugins: [cairn(), typescript()] });
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
    await build(project, { dir: "dist-min", plugins: [cairn(), typescript()], minify: true });
    const text = readFileSync(project.path("dist-min/index.js"), "utf8");
    expect(text).not.toContain("class PaymentDeclined");
    const bundle = await importBundle(project.path("dist-min/index.js"));
    await expectRunsLocally(bundle);
    await expectRunsDurably(env, bundle);
  });

  test("compile errors fail the build with every error of the file, a loc and a code frame", async () => {
    const bad = createProject("rollup-bad", BAD_FILES);
    try {
      const error = (await build(bad, { dir: "dist", plugins: [cairn(), typescript()] }).catch((e: unknown) => e)) as RollupError;
      const [first, second] = badDiagnostics(bad);
      expect(error.plugin).toBe("cairn");
      expect(error.id).toBe(bad.path("src/bad.ts"));
      expect(error.loc).toEqual({ file: bad.path("src/bad.ts"), line: 6, column: 18 });
      // Each diagnostic once: the first as the message (Rollup shows file and loc) and frame, the second after that frame.
      expect(error.message).toBe(`${first.text}\n  ${first.hint}`);
      expect(error.frame).toBe(
        [`> 6 | ${first.lineText}`, "    |                   ^^^^^^^^^^", "", second.header, `  ${second.hint}`, `> 7 | ${second.lineText}`, "    |                ^^^^^^^^^"].join("\n"),
      );
      expect(error.stack).toBe("");
      expect(existsSync(bad.path("dist"))).toBe(false);
    } finally {
      bad.remove();
    }
  });

  test("a compiler warning is a Rollup warning with loc and frame, and the build goes on", async () => {
    const warn = createProject("rollup-warn", WARN_FILES);
    try {
      const warnings: RollupLog[] = [];
      await build(warn, { dir: "dist", plugins: [cairn(), typescript()], onwarn: (w) => warnings.push(w) });
      const d = warnDiagnostic(warn);
      const ours = warnings.filter((w) => w.plugin === "cairn");
      expect(ours.map((w) => ({ id: w.id, loc: w.loc, frame: w.frame }))).toEqual([
        { id: warn.path("src/index.ts"), loc: { file: warn.path("src/index.ts"), line: d.line, column: d.column - 1 }, frame: `> 8 | ${d.lineText}\n    |                ^^^^^^` },
      ]);
      expect(ours[0]!.message).toBe(`[plugin cairn] ${shown(warn, "src/index.ts")} (8:15): ${d.text}\n  ${d.hint}`);
      expect(JSON.parse(readFileSync(warn.path("dist/cairn/manifest.json"), "utf8")).workflows.map((w: { name: string }) => w.name)).toEqual(["bump"]);
    } finally {
      warn.remove();
    }
  });

  test("two modules defining the same workflow name fail the build before anything is written", async () => {
    const dup = createProject("rollup-dup", {
      ...GOOD_FILES,
      "src/again.ts": `import { workflow } from "cairnjs";\nimport { loadUser } from "./actions.ts";\nexport const again = workflow("onboarding", async (id: string) => (await loadUser(id)).email);\n`,
      "src/index.ts": `export * from "./workflows.ts";\nexport { again } from "./again.ts";\n`,
    });
    try {
      const error = (await build(dup, { dir: "dist", plugins: [cairn(), typescript()] }).catch((e: unknown) => e)) as RollupError;
      expect(error.message).toContain(
        `${shown(dup, "src/again.ts")}: error CAIRN119: the workflow name \`onboarding\` is defined more than once (${shown(dup, "src/again.ts")}, ${shown(dup, "src/workflows.ts")})`,
      );
      expect(existsSync(dup.path("dist"))).toBe(false);
    } finally {
      dup.remove();
    }
  });

  test("workflows of two modules calling two different actions of one name fail the build before anything is written", async () => {
    const clash = createProject("rollup-clash", CLASH_FILES);
    try {
      const error = (await build(clash, { dir: "dist", plugins: [cairn(), typescript()] }).catch((e: unknown) => e)) as RollupError;
      expect(error.message).toBe(`[plugin cairn] ${clashError(clash)}`);
      expect(existsSync(clash.path("dist"))).toBe(false);
    } finally {
      clash.remove();
    }
  });

  test("watch mode recompiles only what changed, including workflows whose imports changed, and drops removed ones", async () => {
    const compiled: string[] = [];
    const watcher = watch({
      input: project.path("src/index.ts"),
      external: [/^cairnjs$/, /^node:/],
      // Memory only: this is about what a rebuild recompiles (the disk cache has its own tests).
      plugins: [cairn({ cacheDir: false, onCompile: (file) => compiled.push(file.slice(project.dir.length + 1)) }), typescript()],
      output: { dir: project.path("dist-watch"), format: "esm" },
      watch: { buildDelay: 50 },
      onwarn: () => {},
    });
    const events: RollupWatcherEvent[] = [];
    let wake: () => void = () => {};
    watcher.on("event", (e) => {
      if (e.code === "BUNDLE_END") void e.result.close();
      events.push(e);
      wake();
    });
    const nextBuild = async () => {
      for (;;) {
        const i = events.findIndex((e) => e.code === "END" || e.code === "ERROR");
        if (i >= 0) return events.splice(0, i + 1).at(-1)!;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    };
    try {
      expect((await nextBuild()).code).toBe("END");
      expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      const actions = project.path("src/actions.ts");
      writeFileSync(actions, readFileSync(actions, "utf8").replace('action("send-email"', 'action("send-mail"'));
      expect((await nextBuild()).code).toBe("END");
      expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
      const manifest = readFileSync(project.path("dist-watch/cairn/manifest.json"), "utf8");
      expect(manifest).toContain('"send-mail"');
      const workflows = project.path("src/workflows.ts");
      writeFileSync(workflows, readFileSync(workflows, "utf8").replace('"Welcome!"', '"Welcome aboard!"'));
      expect((await nextBuild()).code).toBe("END");
      expect(compiled.splice(0)).toEqual(["src/workflows.ts"]);
      writeFileSync(workflows, "export const onboarding = 1;\nexport const Digest = 2;\n");
      expect((await nextBuild()).code).toBe("END");
      expect(JSON.parse(readFileSync(project.path("dist-watch/cairn/manifest.json"), "utf8"))).toEqual({ irVersion: 1, workflows: [] });
    } finally {
      await watcher.close();
      project.write("src/actions.ts", GOOD_FILES["src/actions.ts"]);
      project.write("src/workflows.ts", GOOD_FILES["src/workflows.ts"]);
    }
  });
});
