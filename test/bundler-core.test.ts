/**
 * The bundler-neutral core: the compiled-workflow handle and what the runtime
 * does with it, the id filter and quick check, the rewrite of each definition
 * form, the content-hash cache, and name pinning under minification.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as esbuild from "esbuild";
import cairn from "cairnjs/esbuild";
import { action, artifactOf, compiledWorkflow, isCompiledWorkflow, runLocal, workflow, Workflow, virtualClock } from "../runtime/index.ts";
import { createIdFilter, mayUseCairn } from "../plugin/pipeline/options.ts";
import { ModuleCompiler } from "../plugin/pipeline/module-compiler.ts";
import { builtWorkflow } from "../plugin/pipeline/built-workflow.ts";
import { canonicalJson, sealArtifact, serializeArtifact } from "../ir-schema/index.ts";
import { compile, moduleLayout, nodeResolver } from "../plugin/index.ts";
import { REPO_ROOT, loadFixtures } from "./helpers/fixtures.ts";
import { GOOD_FILES, createProject, type TempProject } from "./helpers/bundler-project.ts";
import { cliArtifacts, importBundle } from "./helpers/bundle-checks.ts";

describe("the compiled-workflow handle", () => {
  const artifact = () => cliArtifacts(project).find((a) => a.name === "onboarding")!;
  let project: TempProject;
  beforeAll(() => {
    project = createProject("core-handle", GOOD_FILES);
  });
  afterAll(() => project?.remove());

  test("is a frozen { kind, name, hash, artifact } that runners take in place of the artifact", async () => {
    const a = artifact();
    const handle = compiledWorkflow(a);
    expect(handle).toEqual({ kind: "cairn.workflow", name: "onboarding", hash: a.hash, artifact: a });
    expect(Object.isFrozen(handle)).toBe(true);
    expect([isCompiledWorkflow(handle), isCompiledWorkflow(a), isCompiledWorkflow({ kind: "cairn.workflow" })]).toEqual([true, false, false]);
    expect([artifactOf(handle), artifactOf({ artifact: a }), artifactOf(a)]).toEqual([a, a, a]);
    expect(() => compiledWorkflow({ name: "x" } as never)).toThrow("compiledWorkflow(artifact): expected a compiled workflow artifact with a name, a hash and a program");
    const actions = await importBundle(project.path("src/actions.ts"));
    await expect(runLocal(handle, { userId: "ada" }, { actions, clock: virtualClock() })).resolves.toEqual({ charged: true, receipt: "receipt-ada-pro" });
  });

  test("a workflow that did not go through a cairn plugin is rejected with an explanation", async () => {
    const fn = workflow(async function plain(id: string) { return id; });
    class Klass extends Workflow { async run() { return 1; } }
    const cls = workflow(Klass);
    const hint =
      "Build the module with a cairn bundler plugin (cairnjs/vite, cairnjs/esbuild, cairnjs/rollup, cairnjs/webpack, cairnjs/babel), " +
      "or pass the artifact from compile() / `cairn build`";
    expect(() => artifactOf(fn)).toThrow(`workflow plain was not compiled: this is its source function, not a compiled handle. ${hint}`);
    expect(() => artifactOf(cls)).toThrow(`workflow Klass was not compiled: this is its source class, not a compiled handle. ${hint}`);
    await expect(runLocal(fn, {}, { actions: [action("noop", async () => 0)] })).rejects.toThrow("workflow plain was not compiled");
  });
});

describe("id filter and quick check", () => {
  const cwd = "/app";
  test("defaults: TypeScript (also .tsx) and JavaScript modules outside node_modules", () => {
    const f = createIdFilter({}, cwd);
    const ids = ["/app/src/a.ts", "/app/src/a.mts?v=1", "/app/src/a.js", "/app/src/a.tsx", "/app/src/a.jsx", "/app/node_modules/x/a.ts", "/app/src/a.css"];
    expect(ids.map((id) => f.test(id))).toEqual([true, true, true, true, false, false, false]);
  });

  test("globs are relative to the working directory; RegExps match the path", () => {
    const f = createIdFilter({ include: ["src/**/*.ts", /\.flow\.js$/], exclude: "src/legacy/*" }, cwd);
    const ids = ["/app/src/a.ts", "/app/src/deep/er/b.ts", "/app/src/legacy/c.ts", "/app/src/legacy/sub/d.ts", "/app/lib/e.ts", "/x/y.flow.js"];
    expect(ids.map((id) => f.test(id))).toEqual([true, true, false, true, false, true]);
  });

  test("cairn's own files are never the user's, also when linked from outside node_modules (its built chunks name the package)", () => {
    const f = createIdFilter({}, REPO_ROOT);
    const ids = ["dist/runtime/index.js", "runtime/index.ts", "index.ts", "plugin/compile.ts", "test/tmp/p/src/a.ts", "examples/nightly.ts"];
    expect(ids.map((id) => f.test(`${REPO_ROOT}/${id}`))).toEqual([false, false, false, false, true, true]);
  });

  test("only modules that import from \"cairnjs\" are parsed", () => {
    expect([`import { action } from "cairnjs";`, `import x from 'cairnjs'`, `import x from "cairnjs-ui"`, `import x from "cairn"`, "const cairn = 1;"].map(mayUseCairn)).toEqual([
      true, true, false, false, false,
    ]);
  });

  test("the check on a file's bytes agrees with the check on its decoded text", () => {
    const texts = [`import { é } from "cairnjs";`, `const s = "ü'cairnjs'ü";`, `"cairnj\\u0073"`, `"cairnjs-ui" // "cairnjs`, "🙂\"cairnjs\"🙂"];
    const bytes = texts.map((t) => Buffer.from(t));
    // Invalid UTF-8 next to the needle: a lone continuation byte, a truncated sequence.
    bytes.push(Buffer.concat([Buffer.from([0x80]), Buffer.from(`"cairnjs"`), Buffer.from([0xe2, 0x82])]));
    bytes.push(Buffer.concat([Buffer.from([0xc3]), Buffer.from(`'cairnjs`), Buffer.from([0x80])]));
    expect(bytes.map(mayUseCairn)).toEqual(bytes.map((b) => mayUseCairn(b.toString("utf8"))));
    expect(bytes.map(mayUseCairn)).toEqual([true, true, false, false, true, true, false]);
  });
});

describe("the rewrite", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("core-rewrite", {
      ...GOOD_FILES,
      "src/forms.ts": `import { workflow, Workflow, action } from "cairnjs";
import { loadUser } from "./actions.ts";

export const named = workflow("explicit-name", async (id: string) => {
  return (await loadUser(id)).email;
});

@workflow
class Hidden extends Workflow {
  async run(id: string) {
    return (await loadUser(id)).plan;
  }
}
export { Hidden };

export const local = action("already-named", async function inner() { return 1; });

export default workflow(async function byDefault(id: string) {
  return await loadUser(id);
});
export const after = "line 21";
`,
    });
  });
  afterAll(() => project?.remove());

  test("each definition form becomes a handle; names are injected only where missing; lines after stay put", () => {
    const file = project.path("src/forms.ts");
    const source = readFileSync(file, "utf8");
    const out = new ModuleCompiler().transform(source, file);
    expect(out.errors).toEqual([]);
    const code = out.output!.code.replace(/JSON\.parse\('(?:[^'\\]|\\.)*'\)/g, (m) => `JSON.parse(<${(JSON.parse(m.slice(12, -2).replace(/\\(.)/g, "$1")) as { name: string }).name}>)`);
    expect(code).toBe(`import { workflow, Workflow, action } from "cairnjs";
import { loadUser } from "./actions.ts";

export const named = __cairnCompiledWorkflow(JSON.parse(<explicit-name>)/*

*/);

const Hidden = __cairnCompiledWorkflow(JSON.parse(<Hidden>)/*




*/);
export { Hidden };

export const local = action("already-named", async function inner() { return 1; });

export default __cairnCompiledWorkflow(JSON.parse(<byDefault>)/*

*/);
export const after = "line 21";

import { compiledWorkflow as __cairnCompiledWorkflow } from "cairnjs";
`);
    expect(code.split("\n").indexOf('export const after = "line 21";')).toBe(20);
    expect(out.workflows.map((w) => w.manifest.name)).toEqual(["explicit-name", "Hidden", "byDefault"]);
  });

  test("error classes a workflow matches are pinned through the expression it names them by, unless declared in the module", () => {
    project.write("src/errs.ts", "export class Missing extends Error {}\nexport class Gone extends Error {}\n");
    project.write(
      "src/pins.ts",
      `import { workflow } from "cairnjs";
import { loadUser } from "./actions.ts";
import * as errs from "./errs.ts";
import { Gone } from "./errs.ts";

export class Local extends Error {}

export const pins = workflow(async function pins(id: string) {
  try {
    return await loadUser(id);
  } catch (err) {
    if (err instanceof errs.Missing) return null;
    if (err instanceof Gone) return null;
    if (err instanceof Local) return null;
    if (err instanceof TypeError) return null;
    throw err;
  }
});
`,
    );
    const file = project.path("src/pins.ts");
    const source = readFileSync(file, "utf8");
    const layout = moduleLayout(source, file, nodeResolver(project.dir));
    expect(layout.errorRefs).toEqual([
      { expression: "errs.Missing", className: "Missing" },
      { expression: "Gone", className: "Gone" },
    ]);
    expect(layout.errorClasses).toEqual([{ className: "Local", bodyStart: source.indexOf("Error {}") + "Error {".length }]);
    const out = new ModuleCompiler({ cacheDir: false }).transform(source, file);
    expect(out.layout).toEqual(layout);
    expect(out.output!.code).toContain('try { Object.defineProperty(errs.Missing, "name", { value: "Missing", configurable: true }); } catch {}');
    expect(out.output!.code).toContain('try { Object.defineProperty(Gone, "name", { value: "Gone", configurable: true }); } catch {}');
  });

  test("artifact files are serializeArtifact's bytes, made from the canonical JSON compile() hashed and handles carry", () => {
    for (const f of loadFixtures().slice(0, 12)) {
      const result = compile(readFileSync(f.inputFile, "utf8"), f.inputFile, nodeResolver(REPO_ROOT));
      expect(result.serialized).toEqual(result.workflows.map((a) => canonicalJson(a)));
      expect(result.workflows.map((a) => a.hash)).toEqual(result.workflows.map((a) => sealArtifact(a).hash));
      const built = result.workflows.map((a, i) => builtWorkflow(a, result.serialized![i]));
      expect(built.map((w) => w.text)).toEqual(result.workflows.map(serializeArtifact));
      expect(built.map((w) => JSON.parse(w.text))).toEqual(result.workflows);
    }
    const odd = { b: 1, 10: "x", 2: [JSON.parse('{"z": null, "__proto__": {"y": 1}}')], a: { "": 0, "-1": 2, "01": 3 } };
    expect(serializeArtifact(odd as never)).toBe('{"2":[{"__proto__":{"y":1},"z":null}],"10":"x","a":{"":0,"-1":2,"01":3},"b":1}\n');
  });

  test("compiled results are cached by content: the module's and every file its compile read", () => {
    const compiled: string[] = [];
    const compiler = new ModuleCompiler({ cacheDir: false, onCompile: (f) => compiled.push(f.slice(project.dir.length + 1)) });
    const file = project.path("src/workflows.ts");
    const first = compiler.transform(readFileSync(file, "utf8"), file);
    expect(first.deps.map((d) => d.slice(project.dir.length + 1)).sort()).toEqual(["src/actions.ts", "src/errors.ts"]);
    expect(compiler.transform(readFileSync(file, "utf8"), file)).toBe(first);
    const actions = project.path("src/actions.ts");
    writeFileSync(actions, readFileSync(actions, "utf8").replace('action("send-email"', 'action("send-mail"'));
    const second = compiler.transform(readFileSync(file, "utf8"), file);
    expect(second).not.toBe(first);
    expect(second.workflows.find((w) => w.manifest.name === "onboarding")!.manifest.actions).toEqual(["charge", "loadUser", "send-mail"]);
    expect(compiled).toEqual(["src/workflows.ts", "src/workflows.ts"]);
    writeFileSync(actions, GOOD_FILES["src/actions.ts"]);
  });

  test("a handle carries its IR's text exactly: quotes, backslashes, line separators, `${`, comment ends", async () => {
    const text = "it's \\ \"q\" `t` ${x} */ </script> \u2028\u2029 \\' é ✓ 𝄞 \ud800";
    // The workflow returns the text's UTF-16 code units, not the text: a result holding a
    // lone surrogate is refused by the payload rules (Postgres cannot store it).
    project.write(
      "src/texts.ts",
      `import { workflow } from "cairnjs";\nexport const texts = workflow(async function texts() {\n  const t = ${JSON.stringify(text)};\n  const codes = t.split("").map((c) => c.charCodeAt(0));\n  return { length: t.length, codes };\n});\n`,
    );
    const file = project.path("src/texts.ts");
    const [artifact] = compile(readFileSync(file, "utf8"), file, nodeResolver(project.dir)).workflows;
    expect(JSON.stringify(artifact)).toContain(JSON.stringify(text).slice(1, -1));
    for (const minify of [false, true]) {
      const out = `dist-texts-${minify}/texts.js`;
      await esbuild.build({ absWorkingDir: project.dir, entryPoints: ["src/texts.ts"], bundle: true, platform: "node", format: "esm", minify, outfile: out, logLevel: "silent", plugins: [cairn()] });
      const handle = (await importBundle(project.path(out))).texts;
      expect(artifactOf(handle as never)).toEqual(artifact);
      const codes = Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
      expect(await runLocal(handle as never, {}, { actions: [], clock: virtualClock() })).toEqual({ length: text.length, codes });
    }
  });

  test("minified, an error class keeps its name through the pin in its own body", async () => {
    await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["src/actions.ts"], bundle: true, platform: "node", format: "esm", minify: true,
      outfile: "dist-actions/actions.js", logLevel: "silent", plugins: [cairn()],
    });
    const bundle = await importBundle(project.path("dist-actions/actions.js"));
    expect((bundle.QuotaExceeded as { name: string }).name).toBe("QuotaExceeded");
    const thrown = await (bundle.charge as (id: string, plan: string) => Promise<string>)("busy", "pro").catch((e: Error) => e);
    expect(thrown.constructor.name).toBe("QuotaExceeded");
  });

  test("a module left out by `exclude` keeps its source workflow, which runners refuse", async () => {
    await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm",
      outdir: "dist-excluded", target: "node20", logLevel: "silent", plugins: [cairn({ exclude: /workflows\.ts$/ })],
    });
    const bundle = await importBundle(project.path("dist-excluded/index.js"));
    expect(isCompiledWorkflow(bundle.onboarding)).toBe(false);
    await expect(runLocal(bundle.onboarding as never, { userId: "ada" }, { actions: bundle })).rejects.toThrow(/^workflow onboarding\d* was not compiled: this is its source function/);
  });
});
