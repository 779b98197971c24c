/**
 * `cairnjs/rollup` with the real @rollup/plugin-typescript (README's setup), which
 * emits JavaScript in its `load` hook: cairn still compiles the files as written
 * (every workflow, the class one too, with the CLI's hashes, and errors at their
 * own line:col), in either plugin order; and a plugin that hands cairn anything
 * but the file's text fails the build instead of building the wrong workflows.
 */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rollup, type Plugin, type RollupError, type RollupLog } from "rollup";
import typescriptModule from "@rollup/plugin-typescript";
import { transform } from "esbuild";
import cairn from "cairnjs/rollup";
import { BAD_FILES, GOOD_FILES, badDiagnostics, createProject, shown, type TempProject } from "./helpers/bundler-project.ts";
import {
  MAP_NEEDLES, expectArtifacts, expectHandles, expectNoWorkflowBodies, expectRunsLocally, expectSourceMap, importBundle,
} from "./helpers/bundle-checks.ts";

/** A project as `tsc --init` users set it up for Rollup: standard decorators, `.ts` imports rewritten on emit. */
const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, skipLibCheck: true, rewriteRelativeImportExtensions: true },
  include: ["src"],
});

async function build(project: TempProject, plugins: Plugin[], warnings: RollupLog[] = []): Promise<void> {
  const bundle = await rollup({
    input: project.path("src/index.ts"),
    external: [/^cairnjs$/, /^node:/],
    plugins,
    onwarn: (w) => void warnings.push(w),
  });
  try {
    await bundle.write({ dir: project.path("dist"), format: "esm", sourcemap: true });
  } finally {
    await bundle.close();
  }
}

// Its types declare an ES default export over CommonJS, which NodeNext reads as the module object.
const typescript = typescriptModule as unknown as (options: { tsconfig: string }) => Plugin;
const ts = (project: TempProject): Plugin => typescript({ tsconfig: project.path("tsconfig.json") });

describe("cairnjs/rollup with @rollup/plugin-typescript", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("rollup-ts", { ...GOOD_FILES, "tsconfig.json": TSCONFIG });
  });
  afterAll(() => project?.remove());

  test.each([
    ["cairn() first", (p: TempProject) => [cairn() as Plugin, ts(p)]],
    ["typescript() first", (p: TempProject) => [ts(p), cairn() as Plugin]],
  ])("%s: every workflow is compiled from the file as written, with the CLI's hashes, and the bundle runs", async (_order, plugins) => {
    const warnings: RollupLog[] = [];
    await build(project, plugins(project), warnings);
    expect(warnings.map((w) => w.message)).toEqual([]);
    const expected = await expectArtifacts(project.path("dist/cairn"), project);
    const text = readFileSync(project.path("dist/index.js"), "utf8");
    expectNoWorkflowBodies(text);
    // The class workflow became its handle before TypeScript could lower its decorator.
    expect(text).not.toContain("__esDecorate");
    expectSourceMap(text, readFileSync(project.path("dist/index.js.map"), "utf8"), MAP_NEEDLES);
    const bundle = await importBundle(project.path("dist/index.js"));
    expectHandles(bundle, expected);
    await expectRunsLocally(bundle);
  });

  test("a compile error points at the line and column of the file as written", async () => {
    const bad = createProject("rollup-ts-bad", { ...BAD_FILES, "tsconfig.json": TSCONFIG });
    try {
      const error = (await build(bad, [ts(bad), cairn() as Plugin]).catch((e: unknown) => e)) as RollupError;
      const [first] = badDiagnostics(bad);
      expect(error.plugin).toBe("cairn");
      expect(error.loc).toEqual({ file: bad.path("src/bad.ts"), line: 6, column: 18 });
      expect(error.message).toBe(`${first.text}\n  ${first.hint}`);
      expect(existsSync(bad.path("dist"))).toBe(false);
    } finally {
      bad.remove();
    }
  });

  test("another plugin that loads TypeScript as JavaScript before cairn fails the build, naming the module", async () => {
    const emitsInLoad: Plugin = {
      name: "emits-in-load",
      async load(id) {
        if (!id.endsWith(".ts")) return null;
        return (await transform(readFileSync(id, "utf8"), { loader: "ts", format: "esm" })).code;
      },
    };
    const one = createProject("rollup-ts-load", { "src/index.ts": `import { workflow } from "cairnjs";\nexport const one = workflow(async function one() { return 1; });\n` });
    const error = (await build(one, [emitsInLoad, cairn() as Plugin]).catch((e: unknown) => e)) as RollupError;
    one.remove();
    expect(error.message).toBe(
      `[plugin cairn] ${shown(one, "src/index.ts")}: another plugin changed this module before cairn (its text is not the file's), so cairn would compile that plugin's output instead of your source; put cairn() before plugins that transform TypeScript`,
    );
  });
});
