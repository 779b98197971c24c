/**
 * `cairnjs/babel` through @babel/core: the same transform as the bundler plugins
 * (handles in place of workflow bodies, explicit action names, pinned error class
 * names) made on Babel's AST, scope kept up to date for later plugins, artifacts
 * with `outDir`, compile errors as a thrown error with the CLI's text, and the
 * transformed project running its workflows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createRequire } from "node:module";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import cairnBabel from "cairnjs/babel";
import { artifactFileName, canonicalJson, serializeArtifact } from "../ir-schema/index.ts";
import { compile, nodeResolver } from "../plugin/index.ts";
import { artifactOf, runLocal, virtualClock } from "../runtime/index.ts";
import { BAD_FILES, BODY_SNIPPETS, GOOD_FILES, WARN_FILES, badDiagnostics, createProject, positionOf, warnDiagnostic, type TempProject } from "./helpers/bundler-project.ts";
import { cliArtifacts, expectHandles, expectRunsLocally, importBundle } from "./helpers/bundle-checks.ts";

// @babel/core ships no types (and @types/babel__core is not installed): the slice used here.
const { transformSync } = createRequire(import.meta.url)("@babel/core") as {
  transformSync(code: string, options: object): { code: string | null; map: unknown } | null;
};

interface ScopePath {
  scope: { getBinding(name: string): { kind: string } | undefined };
}

function transform(project: TempProject, rel: string, options: object = {}, extraPlugins: unknown[] = []) {
  const file = project.path(rel);
  return transformSync(readFileSync(file, "utf8"), {
    filename: file,
    babelrc: false,
    configFile: false,
    parserOpts: { plugins: ["typescript"] },
    plugins: [[cairnBabel, options], ...extraPlugins],
    sourceMaps: true,
  })!;
}

describe("cairnjs/babel", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("babel", GOOD_FILES);
  });
  afterAll(() => project?.remove());

  test("workflow definitions become handles; the rest of the module stays, with source maps", () => {
    const out = transform(project, "src/workflows.ts");
    const [digest, onboarding] = cliArtifacts(project).sort((a, b) => (a.name < b.name ? -1 : 1));
    // The IR text as it is, in single quotes (it holds no quote or backslash to escape).
    expect(canonicalJson(onboarding) + canonicalJson(digest)).not.toMatch(/['\\]/);
    expect(out.code).toContain(`export const onboarding = __cairnCompiledWorkflow(JSON.parse('${canonicalJson(onboarding)}'));`);
    expect(out.code).toContain(`export const Digest = __cairnCompiledWorkflow(JSON.parse('${canonicalJson(digest)}'));`);
    expect(out.code).toContain('import { compiledWorkflow as __cairnCompiledWorkflow } from "cairnjs";');
    for (const snippet of BODY_SNIPPETS) expect(out.code).not.toContain(snippet);
    expect(out.code).not.toContain("@workflow");
    expect(out.code).toContain('Object.defineProperty(PaymentDeclined, "name", {\n    value: "PaymentDeclined",');
    const map = new TraceMap(out.map as never);
    const orig = originalPositionFor(map, positionOf(out.code!, '["onboarding", "Digest"]'));
    expect({ line: orig.line, column: orig.column }).toEqual(positionOf(GOOD_FILES["src/workflows.ts"], '["onboarding", "Digest"]'));
  });

  test("actions get their names as literals and error classes of the module a name pin", () => {
    const out = transform(project, "src/actions.ts");
    expect(out.code).toContain('export const loadUser = action("loadUser", async function loadUser(');
    expect(out.code).toContain('export const charge = action("charge", async function charge(');
    expect(out.code).toContain('export const sendEmail = action("send-email", async (');
    expect(out.code).toContain('export class QuotaExceeded extends Error {\n  static {\n    Object.defineProperty(this, "name", {\n      value: "QuotaExceeded",');
    expect(out.code).toContain('Object.defineProperty(CardExpired, "name", {');
    const untouched = readFileSync(project.path("src/errors.ts"), "utf8");
    expect(transform(project, "src/errors.ts").code).toBe(untouched.trimEnd());
  });

  test("later plugins see the new bindings in scope (what the CommonJS transform of Jest relies on)", () => {
    const seen: Record<string, string | undefined> = {};
    const probe = () => ({
      visitor: {
        Program: {
          exit(path: ScopePath) {
            for (const name of ["__cairnCompiledWorkflow", "onboarding", "Digest"]) seen[name] = path.scope.getBinding(name)?.kind;
          },
        },
      },
    });
    transform(project, "src/workflows.ts", {}, [probe]);
    expect(seen).toEqual({ __cairnCompiledWorkflow: "module", onboarding: "const", Digest: "const" });
  });

  test("the transformed project runs its workflows; outDir receives the artifacts", async () => {
    const out = createProject("babel-out", {});
    try {
      for (const rel of Object.keys(GOOD_FILES)) out.write(rel, transform(project, rel, { outDir: out.path("artifacts") }).code!);
      const expected = cliArtifacts(project);
      for (const a of expected) expect(readFileSync(join(out.path("artifacts"), artifactFileName(a)), "utf8")).toBe(serializeArtifact(a));
      const bundle = await importBundle(out.path("src/index.ts"));
      expectHandles(bundle, expected);
      await expectRunsLocally(bundle);
    } finally {
      out.remove();
    }
  });

  test("a handle carries its IR's text exactly through Babel's printer", async () => {
    const text = "it's \\ \"q\" `t` ${x} */ \u2028\u2029 \\' é ✓ 𝄞 \ud800";
    // The lone surrogate at the end stays inside the workflow: a result cannot carry it (Postgres cannot store it).
    project.write("src/texts.ts", `import { workflow } from "cairnjs";\nexport const texts = workflow(async function texts() {\n  const t = ${JSON.stringify(text)};\n  return { text: t.slice(0, -1), length: t.length, tail: t.slice(-1) === ${JSON.stringify(text.slice(-1))} };\n});\n`);
    const out = createProject("babel-texts", {});
    try {
      out.write("src/texts.ts", transform(project, "src/texts.ts").code!);
      const file = project.path("src/texts.ts");
      const [artifact] = compile(readFileSync(file, "utf8"), file, nodeResolver(project.dir)).workflows;
      const { texts } = await importBundle(out.path("src/texts.ts"));
      expect(artifactOf(texts as never)).toEqual(artifact);
      expect(await runLocal(texts as never, {}, { actions: [], clock: virtualClock() })).toEqual({ text: text.slice(0, -1), length: text.length, tail: true });
    } finally {
      out.remove();
    }
  });

  test("compile errors throw with every diagnostic of the file, as the CLI prints them", () => {
    const bad = createProject("babel-bad", BAD_FILES);
    try {
      const [first, second] = badDiagnostics(bad);
      expect(() => transform(bad, "src/bad.ts")).toThrow(
        [first.header, `  ${first.hint}`, `> 6 | ${first.lineText}`, "    |                   ^^^^^^^^^^", "", second.header, `  ${second.hint}`, `> 7 | ${second.lineText}`].join("\n"),
      );
    } finally {
      bad.remove();
    }
  });

  test("a compiler warning goes to console.warn (Babel has no warning channel) and the transform goes on", () => {
    const warn = createProject("babel-warn", WARN_FILES);
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const out = transform(warn, "src/index.ts");
      const d = warnDiagnostic(warn);
      expect(spy.mock.calls.map((args) => String(args[0]))).toEqual([[d.header, `  ${d.hint}`, `> 8 | ${d.lineText}`, "    |                ^^^^^^"].join("\n")]);
      expect(out.code).toContain("bump");
      expect(out.code).not.toContain("await inc(n)");
    } finally {
      spy.mockRestore();
      warn.remove();
    }
  });
});
