/**
 * The compile cache on disk: a new plugin instance (a restarted dev server, a CI
 * build with the folder restored) serves unchanged modules from it, with exactly
 * the output a compile gives; any change to what a compile read or resolved, to
 * the compiler, or to the pack itself is a miss; and the cache never fails a
 * build. (CompileCache itself: compile-cache.test.ts.)
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as esbuild from "esbuild";
import cairn from "cairnjs/esbuild";
import cairnRollup from "cairnjs/rollup";
import cairnVite from "cairnjs/vite";
import cairnWebpack from "cairnjs/webpack";
import { rollup } from "rollup";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import { fileURLToPath } from "node:url";
import type { CairnPluginOptions } from "../plugin/pipeline/options.ts";
import { typescript } from "./helpers/rollup-esbuild.ts";
import { ModuleCompiler, type ModuleOutcome } from "../plugin/pipeline/module-compiler.ts";
import type { CachedCompile } from "../plugin/pipeline/compile-cache.ts";
import { GOOD_FILES, createProject, type TempProject } from "./helpers/bundler-project.ts";
import { importBundle } from "./helpers/bundle-checks.ts";

const TS_LOADER = fileURLToPath(new URL("./helpers/esbuild-ts-loader.cjs", import.meta.url));

/** Minimal builds of the project's src/index.ts with each bundler's own API, cairn external. */
const BUILDERS = {
  async rollup(dir: string, out: string, options: CairnPluginOptions) {
    const bundle = await rollup({ input: join(dir, "src/index.ts"), external: [/^cairnjs$/], plugins: [cairnRollup(options), typescript()], onwarn: () => {} });
    await bundle.write({ dir: out, format: "esm" });
    await bundle.close();
  },
  async vite(dir: string, out: string, options: CairnPluginOptions) {
    await viteBuild({ root: dir, configFile: false, logLevel: "silent", plugins: [cairnVite(options)], build: { ssr: "src/index.ts", outDir: out, emptyOutDir: true } });
  },
  async webpack(dir: string, out: string, options: CairnPluginOptions) {
    const compiler = webpack({
      mode: "development", devtool: false, context: dir, entry: "./src/index.ts", target: "node20",
      output: { path: out, filename: "index.mjs", module: true, library: { type: "module" }, chunkFormat: "module" },
      experiments: { outputModule: true }, externals: { cairn: "module cairn" },
      resolve: { extensions: [".ts", ".js"] }, module: { rules: [{ test: /\.ts$/, use: [{ loader: TS_LOADER }] }] },
      plugins: [cairnWebpack(options)], infrastructureLogging: { level: "none" },
    });
    await new Promise<void>((resolve, reject) =>
      compiler.run((err, stats) => compiler.close(() => (err ? reject(err) : stats?.hasErrors() ? reject(new Error(stats.toString("errors-only"))) : resolve()))),
    );
  },
};

/** Every file under `dir`, relative path -> text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length + 1)] = readFileSync(join(e.parentPath, e.name), "utf8");
  }
  return out;
}

/** What a transform gave, without the lazily made source map (compared separately). */
function plain(o: ModuleOutcome) {
  return { ...o, output: o.output && { code: o.output.code, map: o.output.map().toString() } };
}

describe("the compile cache on disk", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("cache", {
      ...GOOD_FILES,
      "src/acts/index.ts": `import { action } from "cairnjs";\nexport const ping = action("ping-v1", async (n: number) => n + 1);\n`,
      "src/flow.ts": `import { workflow } from "cairnjs";\nimport { ping } from "./acts";\n\nexport const flow = workflow(async function flow(n: number) {\n  return await ping(n);\n});\n`,
      "src/bad.ts": `import { workflow } from "cairnjs";\n\nexport const bad = workflow(async function bad() {\n  return Math.random();\n});\n`,
    });
  });
  afterAll(() => project?.remove());

  const compilerFor = (cacheDir: string, compiled: string[]) =>
    new ModuleCompiler({ cacheDir, onCompile: (f) => compiled.push(f.slice(project.dir.length + 1)) });
  /** One module through a new plugin instance, whose compile is then written (as a bundler's end of build does). */
  const transformOnce = (cacheDir: string, compiled: string[], file: string) => {
    const compiler = compilerFor(cacheDir, compiled);
    const outcome = compiler.transform(readFileSync(file, "utf8"), file);
    compiler.flush();
    return outcome;
  };
  const PACK = /^[0-9a-z]{10}-[0-9a-z]{13}-\d+-[0-9a-f]{8}\.pack$/;
  /**
   * Every entry in the folder's packs (header only), which must hold nothing but
   * packs (no temporary file left behind). A build writes one pack at its end, and
   * one more if it lasts past the one-second timer, so entries, not packs, are counted.
   */
  const entriesIn = (dir: string) =>
    readdirSync(dir).flatMap((f) => {
      expect(f).toMatch(PACK);
      // A digest line, then a JSON header with every entry but its IR.
      return (JSON.parse(readFileSync(join(dir, f), "utf8").split("\n")[1]) as { entries: Array<{ file: string; compile: CachedCompile }> }).entries;
    });
  /** The project's modules among them (Vite also compiles the linked cairn package). */
  const filesIn = (dir: string) =>
    entriesIn(dir)
      .filter((e) => e.file.startsWith(`${project.dir}/`))
      .map((e) => e.file.slice(project.dir.length + 1))
      .sort();

  test("a second plugin instance builds from the cache: nothing compiled, the same bundle, artifacts and source map", async () => {
    const cacheDir = project.path("cache-esbuild");
    const compiled: string[] = [];
    const build = (out: string) =>
      esbuild.build({
        absWorkingDir: project.dir, entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm", sourcemap: true,
        outdir: out, logLevel: "silent", plugins: [cairn({ cacheDir, onCompile: (f) => compiled.push(f.slice(project.dir.length + 1)) })],
      });
    await build("dist-first");
    expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
    expect(filesIn(cacheDir)).toEqual(["src/actions.ts", "src/workflows.ts"]);
    await build("dist-cached");
    expect(compiled).toEqual([]);
    expect(tree(project.path("dist-cached"))).toEqual(tree(project.path("dist-first")));
    const bundle = await importBundle(project.path("dist-cached/index.js"));
    expect(Object.keys(bundle).sort()).toEqual(["Digest", "QuotaExceeded", "charge", "describeWorkflows", "loadUser", "onboarding", "sendEmail"]);
  });

  // Each bundler writes the build's compiles at its end of build (Rollup/Vite buildEnd, webpack's emit).
  test.each(["rollup", "vite", "webpack"] as const)("%s: a second plugin instance builds the same output from the cache", async (bundler) => {
    const cacheDir = project.path(`cache-${bundler}`);
    const compiled: string[] = [];
    // Vite also bundles the linked cairn package itself: only the project's modules count here.
    const options = { cacheDir, onCompile: (f: string) => f.startsWith(project.dir) && compiled.push(f.slice(project.dir.length + 1)) };
    const build = (out: string) => BUILDERS[bundler](project.dir, project.path(out), options);
    await build(`dist-${bundler}-first`);
    expect(compiled.splice(0).sort()).toEqual(["src/actions.ts", "src/workflows.ts"]);
    expect(filesIn(cacheDir)).toEqual(["src/actions.ts", "src/workflows.ts"]);
    await build(`dist-${bundler}-cached`);
    expect(compiled).toEqual([]);
    expect(tree(project.path(`dist-${bundler}-cached`))).toEqual(tree(project.path(`dist-${bundler}-first`)));
  });

  test("without cacheDir, entries go to node_modules/.cache/cairn in the project root", async () => {
    const dir = project.path("node_modules/.cache/cairn");
    rmSync(dir, { recursive: true, force: true });
    await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["src/flow.ts"], bundle: true, platform: "node", format: "esm",
      outdir: "dist-default", logLevel: "silent", plugins: [cairn()],
    });
    const entries = entriesIn(dir);
    expect(entries.map((e) => e.file).sort()).toEqual([project.path("src/acts/index.ts"), project.path("src/flow.ts")]);
    const entry = entries.find((e) => e.file.endsWith("flow.ts"))!;
    expect(entry.file).toBe(project.path("src/flow.ts"));
    expect(entry.compile.root).toBe(project.dir);
    expect(entry.compile.reads).toEqual([[project.path("src/acts/index.ts"), expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/)]]);
    expect(entry.compile.resolutions).toEqual([["./acts", project.path("src/flow.ts"), project.path("src/acts/index.ts")]]);
  });

  test("an edit to the module or to a file it read, or a file that changes what an import resolves to, recompiles", () => {
    const cacheDir = project.path("cache-inputs");
    const file = project.path("src/flow.ts");
    const compiled: string[] = [];
    const transform = () => transformOnce(cacheDir, compiled, file);
    const actionsOf = (o: ModuleOutcome) => o.workflows.map((w) => w.manifest.actions);

    const first = transform();
    expect(actionsOf(first)).toEqual([["ping-v1"]]);
    expect(plain(transform())).toEqual(plain(first));
    expect(compiled.splice(0)).toEqual(["src/flow.ts"]);

    // `./acts` now resolves to acts.ts, which shadows acts/index.ts.
    project.write("src/acts.ts", `import { action } from "cairnjs";\nexport const ping = action("ping-v2", async (n: number) => n + 2);\n`);
    try {
      expect(actionsOf(transform())).toEqual([["ping-v2"]]);
      expect(compiled.splice(0)).toEqual(["src/flow.ts"]);
      writeFileSync(project.path("src/acts.ts"), readFileSync(project.path("src/acts.ts"), "utf8").replace("ping-v2", "ping-v3"));
      expect(actionsOf(transform())).toEqual([["ping-v3"]]);
      expect(compiled.splice(0)).toEqual(["src/flow.ts"]);
      transform();
      expect(compiled.splice(0)).toEqual([]);
    } finally {
      rmSync(project.path("src/acts.ts"));
    }
    expect(actionsOf(transform())).toEqual([["ping-v1"]]);
    writeFileSync(file, readFileSync(file, "utf8").replace("return await ping(n);", "return await ping(n + 1);"));
    try {
      expect(transform().workflows[0].manifest.hash).not.toBe(first.workflows[0].manifest.hash);
      expect(compiled.splice(0)).toEqual(["src/flow.ts", "src/flow.ts"]);
    } finally {
      writeFileSync(file, readFileSync(file, "utf8").replace("return await ping(n + 1);", "return await ping(n);"));
    }
  });

  test("a module with errors is cached with its diagnostics", () => {
    const cacheDir = project.path("cache-errors");
    const file = project.path("src/bad.ts");
    const compiled: string[] = [];
    const first = transformOnce(cacheDir, compiled, file);
    const again = transformOnce(cacheDir, compiled, file);
    expect(compiled).toEqual(["src/bad.ts"]);
    expect(first.errors.map((d) => [d.code, d.line, d.column])).toEqual([["CAIRN100", 4, 10]]);
    expect(again.errors).toEqual(first.errors);
    expect(again.output).toBeNull();
    expect(again.workflows).toEqual([]);
  });

  test("IR with text beyond ASCII comes back from a pack exactly (its lengths count bytes)", () => {
    const cacheDir = project.path("cache-unicode");
    const file = project.path("src/greet.ts");
    project.write(
      "src/greet.ts",
      `import { workflow } from "cairnjs";\nimport { ping } from "./acts";\n\n` +
        `export const greet = workflow(async function greet(n: number) {\n  const a = await ping(n);\n  return { a, text: "héllo ✓ 𝄞" };\n});\n` +
        `export const again = workflow(async function again(n: number) {\n  return { n, text: "ünïcode — ☃" };\n});\n`,
    );
    try {
      const compiled: string[] = [];
      const first = transformOnce(cacheDir, compiled, file);
      const cached = transformOnce(cacheDir, compiled, file);
      expect(compiled).toEqual(["src/greet.ts"]);
      expect(first.workflows.map((w) => w.manifest.name)).toEqual(["greet", "again"]);
      expect(JSON.parse(first.workflows[0].canonical)).toMatchObject({ name: "greet" });
      expect(first.workflows[0].canonical).toContain('"héllo ✓ 𝄞"');
      expect(first.workflows[1].canonical).toContain('"ünïcode — ☃"');
      expect(plain(cached)).toEqual(plain(first));
    } finally {
      rmSync(file);
    }
  });

  test("a corrupt, truncated or foreign pack is ignored, and the compile written again", () => {
    const cacheDir = project.path("cache-corrupt");
    const file = project.path("src/flow.ts");
    const compiled: string[] = [];
    const transform = () => transformOnce(cacheDir, compiled, file);
    const first = transform();
    compiled.splice(0);
    const [name] = readdirSync(cacheDir);
    const packPath = join(cacheDir, name);
    const good = readFileSync(packPath, "utf8");
    // A digest line, a JSON header line, then the texts the header gives the lengths of.
    const [digestLine, headerLine] = good.split("\n", 2);
    const rest = good.slice(digestLine.length + headerLine.length + 2);
    type Header = Record<string, unknown> & { entries: Array<Record<string, unknown> & { compile: Record<string, unknown>; lengths: number[] }> };
    const header = JSON.parse(headerLine) as Header;
    const [entry] = header.entries;
    const withEntry = (e: Record<string, unknown>) => ({ ...header, entries: [e] });
    const digest = (text: string) => createHash("sha1").update(text).digest("base64");
    // Damage the digest would catch, re-signed: what the checks behind it must catch.
    const signed = (h: unknown, body = rest) => `${digest(`${JSON.stringify(h)}\n${body}`)}\n${JSON.stringify(h)}\n${body}`;
    expect(signed(header)).toBe(good);
    const bad = [
      "",
      digestLine,
      good.slice(0, good.length - 10),
      good + "x",
      good.replace("ping-v1", "ping-v2"),
      good.replace('"actions":["ping-v1"]', '"actions":["ping-v2"]'),
      `${"A".repeat(27)}=\n${headerLine}\n${rest}`,
      signed(null),
      signed({ ...header, format: 99 }),
      signed({ ...header, fingerprint: "another compiler" }),
      signed({ ...header, entries: "none" }),
      signed(withEntry({ ...entry, file: 42 })),
      signed(withEntry({ ...entry, compile: { ...entry.compile, workflows: [42] } })),
      signed(withEntry({ ...entry, compile: { ...entry.compile, reads: "none" } })),
      signed(withEntry({ ...entry, compile: { ...entry.compile, workflows: [{ ...(entry.compile.workflows as object[])[0], manifest: { actions: "ping-v1" } }] } })),
      signed(withEntry({ ...entry, lengths: entry.lengths.slice(1) })),
      signed(withEntry({ ...entry, lengths: [...entry.lengths.slice(0, -1), entry.lengths.at(-1)! + 1] })),
      signed(JSON.parse('{"__proto__": {"entries": []}}')),
    ];
    for (const text of bad) {
      expect(text).not.toBe(good);
      for (const f of readdirSync(cacheDir)) rmSync(join(cacheDir, f));
      writeFileSync(packPath, text);
      expect(plain(transform())).toEqual(plain(first));
      expect(compiled.splice(0)).toEqual(["src/flow.ts"]);
      // The damaged pack stays until a merge; the new one holds the same compile as the first.
      const written = readdirSync(cacheDir).filter((f) => f !== name);
      expect(written).toHaveLength(1);
      expect(readFileSync(join(cacheDir, written[0]), "utf8")).toBe(good);
    }
  });

  test("a cache folder that cannot be written never fails a build", async () => {
    const compiled: string[] = [];
    const build = () =>
      esbuild.build({
        absWorkingDir: project.dir, entryPoints: ["src/flow.ts"], bundle: true, platform: "node", format: "esm", outdir: "dist-unwritable", logLevel: "silent",
        // Under a regular file: every mkdir and write fails.
        plugins: [cairn({ cacheDir: project.path("package.json/cache"), onCompile: (f) => compiled.push(f.slice(project.dir.length + 1)) })],
      });
    expect((await build()).errors).toEqual([]);
    expect((await build()).errors).toEqual([]);
    expect(compiled.sort()).toEqual(["src/acts/index.ts", "src/acts/index.ts", "src/flow.ts", "src/flow.ts"]);
    expect(existsSync(project.path("dist-unwritable/cairn/manifest.json"))).toBe(true);
  });
});
