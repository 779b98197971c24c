/**
 * The compile cache on disk: a new plugin instance (a restarted dev server, a CI
 * build with the folder restored) serves unchanged modules from it, with exactly
 * the output a compile gives; any change to what a compile read or resolved, to
 * the compiler, or to the entry itself is a miss; and the cache never fails a build.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as esbuild from "esbuild";
import cairn from "cairn/esbuild";
import { ModuleCompiler, type ModuleOutcome } from "../plugin/bundler/module-compiler.ts";
import { CompileCache, compilerFingerprint, type CachedCompile } from "../plugin/bundler/compile-cache.ts";
import { GOOD_FILES, createProject, type TempProject } from "./helpers/bundler-project.ts";
import { importBundle } from "./helpers/bundle-checks.ts";

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
      "src/acts/index.ts": `import { action } from "cairn";\nexport const ping = action("ping-v1", async (n: number) => n + 1);\n`,
      "src/flow.ts": `import { workflow } from "cairn";\nimport { ping } from "./acts";\n\nexport const flow = workflow(async function flow(n: number) {\n  return await ping(n);\n});\n`,
      "src/bad.ts": `import { workflow } from "cairn";\n\nexport const bad = workflow(async function bad() {\n  return Math.random();\n});\n`,
    });
  });
  afterAll(() => project?.remove());

  const compilerFor = (cacheDir: string, compiled: string[]) =>
    new ModuleCompiler({ cacheDir, onCompile: (f) => compiled.push(f.slice(project.dir.length + 1)) });

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
    // One entry per module, and nothing else (no temporary file left behind).
    expect(readdirSync(cacheDir).map((f) => f.replace(/^[0-9a-f]{40}\.entry$/, "<entry>"))).toEqual(["<entry>", "<entry>"]);
    await build("dist-cached");
    expect(compiled).toEqual([]);
    expect(tree(project.path("dist-cached"))).toEqual(tree(project.path("dist-first")));
    const bundle = await importBundle(project.path("dist-cached/index.js"));
    expect(Object.keys(bundle).sort()).toEqual(["Digest", "QuotaExceeded", "charge", "describeWorkflows", "loadUser", "onboarding", "sendEmail"]);
  });

  test("without cacheDir, entries go to node_modules/.cache/cairn in the project root", async () => {
    const dir = project.path("node_modules/.cache/cairn");
    rmSync(dir, { recursive: true, force: true });
    await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["src/flow.ts"], bundle: true, platform: "node", format: "esm",
      outdir: "dist-default", logLevel: "silent", plugins: [cairn()],
    });
    const header = (f: string) => readFileSync(join(dir, f), "utf8").split("\n")[1];
    const entries = readdirSync(dir).map((f) => JSON.parse(header(f)) as { file: string; compile: CachedCompile });
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
    const transform = () => compilerFor(cacheDir, compiled).transform(readFileSync(file, "utf8"), file);
    const actionsOf = (o: ModuleOutcome) => o.workflows.map((w) => w.manifest.actions);

    const first = transform();
    expect(actionsOf(first)).toEqual([["ping-v1"]]);
    expect(plain(transform())).toEqual(plain(first));
    expect(compiled.splice(0)).toEqual(["src/flow.ts"]);

    // `./acts` now resolves to acts.ts, which shadows acts/index.ts.
    project.write("src/acts.ts", `import { action } from "cairn";\nexport const ping = action("ping-v2", async (n: number) => n + 2);\n`);
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
    const first = compilerFor(cacheDir, compiled).transform(readFileSync(file, "utf8"), file);
    const again = compilerFor(cacheDir, compiled).transform(readFileSync(file, "utf8"), file);
    expect(compiled).toEqual(["src/bad.ts"]);
    expect(first.errors.map((d) => [d.code, d.line, d.column])).toEqual([["CAIRN100", 4, 10]]);
    expect(again.errors).toEqual(first.errors);
    expect(again.output).toBeNull();
    expect(again.workflows).toEqual([]);
  });

  test("a corrupt, truncated or foreign entry is a miss, which the compile then replaces", () => {
    const cacheDir = project.path("cache-corrupt");
    const file = project.path("src/flow.ts");
    const compiled: string[] = [];
    const transform = () => compilerFor(cacheDir, compiled).transform(readFileSync(file, "utf8"), file);
    const first = transform();
    compiled.splice(0);
    const [name] = readdirSync(cacheDir);
    const entryPath = join(cacheDir, name);
    const good = readFileSync(entryPath, "utf8");
    // A digest line, a JSON header line, then the texts the header gives the lengths of.
    const [digestLine, headerLine] = good.split("\n", 2);
    const rest = good.slice(digestLine.length + headerLine.length + 2);
    const header = JSON.parse(headerLine) as Record<string, unknown> & { compile: Record<string, unknown>; lengths: number[] };
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
      signed({ ...header, file: project.path("src/other.ts") }),
      signed({ ...header, compile: { ...header.compile, workflows: [42] } }),
      signed({ ...header, compile: { ...header.compile, reads: "none" } }),
      signed({ ...header, compile: { ...header.compile, workflows: [{ ...(header.compile.workflows as object[])[0], manifest: { actions: "ping-v1" } }] } }),
      signed({ ...header, lengths: header.lengths.slice(1) }),
      signed({ ...header, lengths: [...header.lengths.slice(0, -1), header.lengths.at(-1)! + 1] }),
      signed(JSON.parse('{"__proto__": {"compile": 1}}')),
    ];
    for (const text of bad) {
      expect(text).not.toBe(good);
      writeFileSync(entryPath, text);
      expect(plain(transform())).toEqual(plain(first));
      expect(compiled.splice(0)).toEqual(["src/flow.ts"]);
      expect(readFileSync(entryPath, "utf8")).toBe(good);
    }
  });

  test("an entry written by another compiler is not served", () => {
    const dir = project.path("cache-fingerprint");
    const manifest = { name: "w", hash: "h", file: "w.h.json", source: "a.ts", params: ["n"], actions: ["x"] };
    const workflows = [{ canonical: '{"a":"\u00e9\\n"}', fileName: "w.h.json", text: '{"a":"\u00e9\\n"}\n', manifest }];
    const compile: CachedCompile = { source: "s", root: "/r", reads: [], resolutions: [], workflows, layout: null, errors: [], warnings: [] };
    new CompileCache(dir, () => "compiler-a").set("/r/a.ts", compile);
    expect(new CompileCache(dir, () => "compiler-a").get("/r/a.ts")).toEqual(compile);
    expect(new CompileCache(dir, () => "compiler-b").get("/r/a.ts")).toBeNull();
    // No fingerprint (the compiler's sources cannot be read): no cache at all.
    expect(new CompileCache(dir, () => null).get("/r/a.ts")).toBeNull();
    new CompileCache(join(dir, "unused"), () => null).set("/r/a.ts", compile);
    expect(existsSync(join(dir, "unused"))).toBe(false);
    expect(compilerFingerprint()).toMatch(/^[0-9a-f]{40}$/);
    expect(compilerFingerprint()).toBe(compilerFingerprint());
  });

  test("a folder deleted under a long-lived cache is made again on the next write; entries are listed once", () => {
    const dir = project.path("cache-deleted");
    const compile: CachedCompile = { source: "s", root: "/r", reads: [], resolutions: [], workflows: [], layout: null, errors: [], warnings: [] };
    const cache = new CompileCache(dir, () => "compiler-a");
    expect(cache.get("/r/a.ts")).toBeNull();
    cache.set("/r/a.ts", compile);
    expect(cache.get("/r/a.ts")).toEqual(compile);
    rmSync(dir, { recursive: true });
    expect(cache.get("/r/a.ts")).toBeNull();
    cache.set("/r/a.ts", compile); // fails (no folder) and is dropped
    cache.set("/r/a.ts", compile);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(cache.get("/r/a.ts")).toEqual(compile);
    // Written by another instance after this one listed the folder: a miss here (a compile), served to a new instance.
    new CompileCache(dir, () => "compiler-a").set("/r/b.ts", compile);
    expect(cache.get("/r/b.ts")).toBeNull();
    expect(new CompileCache(dir, () => "compiler-a").get("/r/b.ts")).toEqual(compile);
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
