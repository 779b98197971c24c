import { stripVTControlCharacters } from "node:util";
/**
 * `cairnjs/vite` in real Vite builds (SSR, as a Node service is built) and in Vite's
 * dev server: artifacts, handles, source maps, durable and in-memory runs (plain
 * and minified), build errors and the dev-overlay error, and the README's recipe
 * for unit-testing workflows with runLocal through the plugin (vitest loads
 * modules the way `ssrLoadModule` does).
 */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build as viteBuild, createServer, type InlineConfig, type Rollup } from "vite";
import cairn from "cairnjs/vite";
import { action, runLocal, virtualClock, isCompiledWorkflow } from "../runtime/index.ts";
import { BAD_FILES, GOOD_FILES, WARN_FILES, badDiagnostics, createProject, shown, warnDiagnostic, type TempProject } from "./helpers/bundler-project.ts";
import {
  MAP_NEEDLES, cliArtifacts, expectArtifacts, expectHandles, expectNoWorkflowBodies, expectRunsDurably, expectRunsLocally, expectSourceMap, importBundle,
} from "./helpers/bundle-checks.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";

const config = (project: TempProject, build: InlineConfig["build"]): InlineConfig => ({
  root: project.dir,
  configFile: false,
  logLevel: "silent",
  plugins: [cairn()],
  build: { ssr: "src/index.ts", emptyOutDir: true, ...build },
  ssr: { noExternal: true },
});

describe("cairnjs/vite", () => {
  let project: TempProject;
  let env: DurableEnv;
  beforeAll(async () => {
    project = createProject("vite", GOOD_FILES);
    env = await durableEnv("pg", "bundle_vite");
  });
  afterAll(async () => {
    await env?.close();
    project?.remove();
  });

  test("a build writes artifacts and a manifest, and its bundle runs the workflows durably and in memory", async () => {
    await viteBuild(config(project, { outDir: "dist", sourcemap: true }));
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
    await viteBuild(config(project, { outDir: "dist-min", minify: true }));
    const text = readFileSync(project.path("dist-min/index.js"), "utf8");
    expect(text).not.toContain("class PaymentDeclined");
    const bundle = await importBundle(project.path("dist-min/index.js"));
    await expectRunsLocally(bundle);
    await expectRunsDurably(env, bundle);
  });

  test("compile errors fail the build with every error of the file, a loc and a code frame", async () => {
    const bad = createProject("vite-bad", BAD_FILES);
    try {
      const error = (await viteBuild(config(bad, { outDir: "dist" })).catch((e: unknown) => e)) as Error & { loc: unknown; frame: string; plugin: string; id: string };
      const [first, second] = badDiagnostics(bad);
      expect({ plugin: error.plugin, id: error.id, loc: error.loc }).toEqual({ plugin: "cairn", id: bad.path("src/bad.ts"), loc: { file: bad.path("src/bad.ts"), line: 6, column: 18 } });
      const frame = [`> 6 | ${first.lineText}`, "    |                   ^^^^^^^^^^", "", second.header, `  ${second.hint}`, `> 7 | ${second.lineText}`, "    |                ^^^^^^^^^"].join("\n");
      expect(error.frame).toBe(frame);
      // Vite prints the message, the file and the frame: each diagnostic once, and no stack.
      // (Vite colours them when CI is set, as picocolors reads it: compared as text.)
      expect(stripVTControlCharacters(error.message)).toBe(`[cairn] ${first.text}\n  ${first.hint}\nfile: ${bad.path("src/bad.ts")}:6:18\n\n${frame}\n`);
      expect(stripVTControlCharacters(error.stack ?? "")).toBe(`${stripVTControlCharacters(error.message)}\n`);
      expect(existsSync(bad.path("dist/cairn"))).toBe(false);
    } finally {
      bad.remove();
    }
  });

  test("a compiler warning is a build warning with loc and frame, and the build goes on", async () => {
    const warn = createProject("vite-warn", WARN_FILES);
    try {
      const warnings: Rollup.RollupLog[] = [];
      await viteBuild(config(warn, { outDir: "dist", rollupOptions: { onwarn: (w) => void warnings.push(w) } }));
      const d = warnDiagnostic(warn);
      const ours = warnings.filter((w) => w.plugin === "cairn");
      expect(ours.map((w) => ({ id: w.id, loc: w.loc }))).toEqual([{ id: warn.path("src/index.ts"), loc: { file: warn.path("src/index.ts"), line: d.line, column: d.column - 1 } }]);
      expect(ours[0]!.message).toBe(`[plugin cairn] ${shown(warn, "src/index.ts")} (8:15): ${d.text}\n  ${d.hint}`);
      expect(JSON.parse(readFileSync(warn.path("dist/cairn/manifest.json"), "utf8")).workflows.map((w: { name: string }) => w.name)).toEqual(["bump"]);
    } finally {
      warn.remove();
    }
  });

  test("in the dev server, the error the overlay shows carries the same text, loc and frame", async () => {
    const bad = createProject("vite-dev", BAD_FILES);
    const server = await createServer({ root: bad.dir, configFile: false, logLevel: "silent", plugins: [cairn()], server: { middlewareMode: true, hmr: false, ws: false }, appType: "custom" });
    try {
      const error = (await server.transformRequest("/src/bad.ts").catch((e: unknown) => e)) as Error & { loc: unknown; frame: string; plugin: string };
      const [first, second] = badDiagnostics(bad);
      expect({ plugin: error.plugin, loc: error.loc }).toEqual({ plugin: "cairn", loc: { file: bad.path("src/bad.ts"), line: 6, column: 18 } });
      expect(error.frame).toBe([`> 6 | ${first.lineText}`, "    |                   ^^^^^^^^^^", "", second.header, `  ${second.hint}`, `> 7 | ${second.lineText}`, "    |                ^^^^^^^^^"].join("\n"));
      expect(error.message).toBe(`${first.text}\n  ${first.hint}`);
    } finally {
      await server.close();
      bad.remove();
    }
  });

  test("a build without source maps gets no map from the plugin; a build with them, and the dev server, do", async () => {
    const file = project.path("src/workflows.ts");
    const code = readFileSync(file, "utf8");
    const mapOf = async (command: string, sourcemap: unknown) => {
      const plugin = cairn() as unknown as {
        configResolved(config: object): void;
        transform: { handler(this: object, code: string, id: string): Promise<{ code: string; map?: unknown }> };
      };
      plugin.configResolved({ command, build: { sourcemap } });
      // Vite's context, as far as the hook uses it: its resolver finds no alias here.
      const hook = { addWatchFile() {}, warn() {}, error(e: unknown) { throw e; }, resolve: async () => null };
      const out = await plugin.transform.handler.call(hook, code, file);
      expect(out.code).toContain("__cairnCompiledWorkflow(JSON.parse(");
      return out.map === undefined ? "none" : typeof out.map;
    };
    expect([await mapOf("build", false), await mapOf("build", true), await mapOf("build", "hidden"), await mapOf("serve", false)]).toEqual(["none", "object", "object", "object"]);
  });

  test("recipe: unit-test a workflow with runLocal through the plugin (vitest's module loading)", async () => {
    const server = await createServer({ root: project.dir, configFile: false, logLevel: "silent", plugins: [cairn()], server: { middlewareMode: true, hmr: false, ws: false }, appType: "custom" });
    try {
      const { onboarding } = await server.ssrLoadModule("/src/workflows.ts");
      const actions = await server.ssrLoadModule("/src/actions.ts");
      expect(isCompiledWorkflow(onboarding)).toBe(true);
      expect(onboarding.hash).toBe(cliArtifacts(project).find((a) => a.name === "onboarding")!.hash);
      expect(await runLocal(onboarding, { userId: "expired" }, { actions, clock: virtualClock() })).toEqual({ charged: false, receipt: null });
      await expect(runLocal(onboarding, { userId: "stolen" }, { actions, clock: virtualClock() })).rejects.toMatchObject({
        name: "FraudSuspected",
        message: "card of stolen looks stolen",
      });
      // The README's fake: a different action under the same name, for a user the real one would charge.
      const { CardExpired } = await server.ssrLoadModule("/src/errors.ts");
      const charge = action("charge", async () => {
        throw new CardExpired("no");
      });
      expect(await runLocal(onboarding, { userId: "ada" }, { actions: { ...actions, charge }, clock: virtualClock() })).toEqual({ charged: false, receipt: null });
    } finally {
      await server.close();
    }
  });
});
