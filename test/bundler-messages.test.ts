/**
 * What a user reads when a build fails on a workflow module, exactly, in each
 * bundler's own terminal output (its CLI, or a build script printing as the
 * bundler's docs do): every diagnostic once, with one position, its hint and one
 * code frame; no second copy of the text and no stack of cairn's internals.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BAD_FILES, createProject, type TempProject } from "./helpers/bundler-project.ts";
import { installBuiltCairn, node } from "./helpers/built-cairn.ts";

const FIRST = "CAIRN100: `Date.now()` is nondeterministic and cannot run in a workflow body";
const FIRST_HINT = "hint: move it into an action and await the action, so its result is recorded and replayed";
const SECOND = "CAIRN102: `new Map()` is not allowed in a workflow body; only `new RetryPolicy(...)` is";
const SECOND_HINT = "hint: construct the object inside an action, or use a plain object literal";
/** Both diagnostics as cairn renders them where the bundler keeps no position of its own. */
const BOTH = `src/bad.ts:6:19: error ${FIRST}
  ${FIRST_HINT}
> 6 |   const started = Date.now();
    |                   ^^^^^^^^^^

src/bad.ts:7:16: error ${SECOND}
  ${SECOND_HINT}
> 7 |   const seen = new Map();
    |                ^^^^^^^^^`;
/** The second diagnostic in full, after the first one's frame (Rollup and Vite). */
const FRAME_AND_SECOND = `> 6 |   const started = Date.now();
    |                   ^^^^^^^^^^

${BOTH.slice(BOTH.indexOf("src/bad.ts:7:16"))}`;

const ESBUILD = `import * as esbuild from "esbuild";
import cairn from "cairnjs/esbuild";

await esbuild.build({ entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm", packages: "external", outdir: "dist", plugins: [cairn()] })
  .catch(() => process.exit(1));
`;

const WEBPACK = `import { fileURLToPath } from "node:url";
import webpack from "webpack";
import cairn from "cairnjs/webpack";

const compiler = webpack({
  mode: "development", devtool: false, target: "node", entry: "./src/index.ts",
  output: { path: fileURLToPath(new URL("./dist", import.meta.url)), filename: "index.mjs", module: true, library: { type: "module" } },
  experiments: { outputModule: true }, externals: [/^cairnjs/],
  resolve: { extensions: [".ts", ".js"], extensionAlias: { ".js": [".ts", ".js"] } },
  module: { rules: [{ test: /\\.ts$/, loader: "ts-loader", options: { transpileOnly: true } }] },
  plugins: [cairn()],
});
compiler.run((err, stats) => compiler.close(() => {
  console.error(err ?? stats.toString("errors-only"));
  process.exit(1);
}));
`;

describe("a compile error in each bundler's output", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("messages", {
      ...BAD_FILES,
      "vite.config.mjs": `import cairn from "cairnjs/vite";\nexport default { plugins: [cairn()], build: { ssr: "src/index.ts", outDir: "dist" } };\n`,
      "rollup.config.mjs": `import cairn from "cairnjs/rollup";\nimport typescript from "@rollup/plugin-typescript";\n\nexport default { input: "src/index.ts", output: { dir: "dist", format: "esm" }, external: [/^cairnjs/], plugins: [cairn(), typescript()] };\n`,
      "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", rewriteRelativeImportExtensions: true, skipLibCheck: true }, include: ["src"] }),
      "esbuild.mjs": ESBUILD,
      "webpack.mjs": WEBPACK,
    });
    installBuiltCairn(project);
  }, 300_000);
  afterAll(() => project?.remove());

  test("esbuild: one message per diagnostic, at esbuild's own position, the hint a note", () => {
    const run = node(project, "esbuild.mjs");
    const message = (text: string, hint: string, at: string, line: string, marks: string) =>
      `✘ [ERROR] ${text} [plugin cairn]\n\n    src/bad.ts:${at}:\n${line}\n${marks}\n\n  ${hint}\n  The plugin "cairn" was triggered by this import\n\n` +
      `    src/index.ts:3:14:\n      3 │ export * from "./bad.ts";\n        ╵               ~~~~~~~~~~\n\n`;
    expect(run.output).toBe(
      message(FIRST, FIRST_HINT, "6:18", "      6 │   const started = Date.now();", "        ╵                   ~~~~~~~~~~") +
        message(SECOND, SECOND_HINT, "7:15", "      7 │   const seen = new Map();", "        ╵                ~~~~~~~~~") +
        "",
    );
    expect(run.status).toBe(1);
  });

  test("vite build: the first diagnostic with Vite's file and frame, the second after it, no stack", () => {
    const run = node(project, "node_modules/vite/bin/vite.js", "build", "--logLevel", "error");
    expect(run.output.replace(/failed in \d+ms/, "failed in <t>ms")).toBe(
      `✗ Build failed in <t>ms\nerror during build:\n[cairn] ${FIRST}\n  ${FIRST_HINT}\nfile: ${project.path("src/bad.ts")}:6:18\n\n${FRAME_AND_SECOND}\n\n\n`,
    );
    expect(run.status).toBe(1);
  });

  test("rollup -c with @rollup/plugin-typescript: the first diagnostic with Rollup's position and frame, the second after it, no stack", () => {
    const run = node(project, "node_modules/rollup/dist/bin/rollup", "-c", "--silent");
    expect(run.output).toBe(`[!] (plugin cairn) Error: ${FIRST}\n  ${FIRST_HINT}\nsrc/bad.ts (6:18)\n${FRAME_AND_SECOND}\n\n\n`);
    expect(run.status).toBe(1);
    // The TypeScript plugin type-checks the whole program first.
  }, 120_000);

  test("webpack with ts-loader: one module error holding every diagnostic once, no stack", () => {
    const run = node(project, "webpack.mjs");
    expect(run.output.replace(/\(from [^)]*\)/, "(from <loader>)")).toBe(
      `ERROR in ./src/bad.ts\nModule Error (from <loader>):\n${BOTH}\n @ ./src/index.ts 3:0-25 3:0-25\n\nwebpack compiled with 1 error\n`,
    );
    expect(run.status).toBe(1);
  });
});
