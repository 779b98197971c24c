/**
 * The plugins resolve a workflow's imports as the bundle does: through each
 * bundler's own resolver (a Vite `resolve.alias`, a webpack `resolve.alias`, a
 * Rollup alias plugin, esbuild's `tsconfig` option naming a config with `paths`,
 * none of which the file-system resolver can see) and package.json `imports`
 * (`#actions`). The workflow finds both actions, and its bundle runs.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as esbuild from "esbuild";
import { rollup, type Plugin } from "rollup";
import nodeResolveModule from "@rollup/plugin-node-resolve";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import cairnEsbuild from "cairnjs/esbuild";
import cairnRollup from "cairnjs/rollup";
import cairnVite from "cairnjs/vite";
import cairnWebpack from "cairnjs/webpack";
import { fileURLToPath } from "node:url";
import { createProject, type TempProject } from "./helpers/bundler-project.ts";
import { importBundle } from "./helpers/bundle-checks.ts";
import { typescript } from "./helpers/rollup-esbuild.ts";
import { runLocal, virtualClock } from "../runtime/index.ts";

// Its types declare an ES default export over CommonJS, which NodeNext reads as the module object.
const nodeResolve = nodeResolveModule as unknown as (options: { extensions: string[] }) => Plugin;
const TS_LOADER = fileURLToPath(new URL("./helpers/esbuild-ts-loader.cjs", import.meta.url));

const FILES: Record<string, string> = {
  "src/greet.ts": `import { action } from "cairnjs";\nexport const greet = action(async function greet(name: string) { return "hello " + name; });\n`,
  "src/shout.ts": `import { action } from "cairnjs";\nexport const shout = action(async function shout(text: string) { return text.toUpperCase(); });\n`,
  "src/flow.ts": `import { workflow } from "cairnjs";
import { greet } from "@/greet";
import { shout } from "#actions";

export const flow = workflow(async function flow(name: string) {
  return await shout(await greet(name));
});
`,
  "src/index.ts": `export * from "./flow.ts";\nexport * from "./greet.ts";\nexport * from "./shout.ts";\n`,
  // Seen by esbuild only (its `tsconfig` option): cairn's own resolver reads tsconfig.json.
  "tsconfig.build.json": JSON.stringify({ compilerOptions: { paths: { "@/*": ["./src/*"] } } }),
};

/** `@/x` -> src/x.ts, as @rollup/plugin-alias does it: through the rest of the resolvers. */
function alias(project: TempProject): Plugin {
  return {
    name: "test:alias",
    resolveId(source, importer) {
      return source.startsWith("@/") ? this.resolve(project.path(`src/${source.slice(2)}.ts`), importer, { skipSelf: true }) : null;
    },
  };
}

describe("bundler aliases and package.json imports", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("aliases", FILES);
    project.write("package.json", JSON.stringify({ name: "aliases", private: true, type: "module", imports: { "#actions": "./src/shout.ts" } }));
  });
  afterAll(() => project?.remove());

  /** The manifest lists both actions, and the bundle's workflow runs them. */
  async function expectBuilt(dir: string, bundleFile: string): Promise<void> {
    const manifest = JSON.parse(readFileSync(project.path(`${dir}/cairn/manifest.json`), "utf8")) as { workflows: Array<{ name: string; actions: string[] }> };
    expect(manifest.workflows.map((w) => [w.name, w.actions])).toEqual([["flow", ["greet", "shout"]]]);
    const bundle = await importBundle(project.path(`${dir}/${bundleFile}`));
    expect(await runLocal(bundle.flow as never, { name: "ada" }, { actions: bundle, clock: virtualClock() })).toBe("HELLO ADA");
  }

  test("esbuild, with `tsconfig` naming a config whose paths map @/", async () => {
    await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm", external: ["cairnjs"],
      outdir: "dist-esbuild", tsconfig: "tsconfig.build.json", logLevel: "silent", plugins: [cairnEsbuild()],
    });
    await expectBuilt("dist-esbuild", "index.js");
  });

  test("Rollup, with an alias plugin and node-resolve for #actions", async () => {
    const bundle = await rollup({
      input: project.path("src/index.ts"), external: [/^cairnjs$/],
      plugins: [cairnRollup(), alias(project), nodeResolve({ extensions: [".ts", ".js"] }), typescript()],
    });
    await bundle.write({ dir: project.path("dist-rollup"), format: "esm" });
    await bundle.close();
    await expectBuilt("dist-rollup", "index.js");
  });

  test("Vite, with resolve.alias { '@/': src/ }", async () => {
    await viteBuild({
      root: project.dir, configFile: false, logLevel: "silent", plugins: [cairnVite()],
      resolve: { alias: { "@/": `${project.path("src")}/` } },
      build: { ssr: project.path("src/index.ts"), outDir: project.path("dist-vite"), rollupOptions: { external: [/^cairnjs$/] } },
    });
    await expectBuilt("dist-vite", "index.js");
  });

  test("webpack, with resolve.alias { '@': src }", async () => {
    const compiler = webpack({
      mode: "development", context: project.dir, entry: "./src/index.ts", target: "node20", devtool: false,
      output: { path: project.path("dist-webpack"), filename: "index.mjs", module: true, library: { type: "module" }, chunkFormat: "module" },
      experiments: { outputModule: true }, externalsType: "module", externals: [/^cairnjs$/],
      resolve: { extensions: [".ts", ".js"], alias: { "@": project.path("src") } },
      module: { rules: [{ test: /\.ts$/, use: [{ loader: TS_LOADER }] }] },
      plugins: [cairnWebpack()], infrastructureLogging: { level: "none" },
    });
    const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((err, s) => compiler.close(() => (err ? reject(err) : resolve(s!)))));
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
    await expectBuilt("dist-webpack", "index.mjs");
  });
});
