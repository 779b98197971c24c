#!/usr/bin/env node
// Builds what the package ships besides its TypeScript sources:
// - dist/plugin: the bundler and Babel plugins, which a bundler's own CLI imports
//   from its config file (`vite build`, `rollup -c`, webpack, babel-jest) with no
//   TypeScript loader in the process.
// - dist/runtime: the runtime entry points ("cairnjs", "cairnjs/runtime",
//   "cairnjs/ir"), which an application imports when it runs in plain Node: a
//   bundle that leaves cairn external, a server compiled by tsc. The CLI runs the
//   sources instead (cli/cairn-resolution.js maps these files back to them), so
//   the user code it loads runs the same code as the CLI, never this build.
// - dist/types: declarations for every entry point, which users' type-checks
//   read instead of our sources (tsconfig.types.json).
// Plain JavaScript, so `npm install` (the `prepare` script) can run it.
//
// One ESM bundle per entry point, sharing chunks within each folder (one copy of
// the compiler, or of the runtime, however many entries a process loads);
// dependencies stay imports.
//
// `node scripts/build.mjs [package dir]`: the package directory to write dist/
// into, default this one (the tests build an installed copy).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const PLUGIN_ENTRIES = {
  esbuild: "plugin/bundler/esbuild.ts",
  vite: "plugin/bundler/vite.ts",
  rollup: "plugin/bundler/rollup.ts",
  webpack: "plugin/bundler/webpack.ts",
  babel: "plugin/babel/index.ts",
  plugin: "plugin/index.ts",
};
const RUNTIME_ENTRIES = {
  index: "index.ts",
  runtime: "runtime/index.ts",
  ir: "ir-schema/index.ts",
};

/** Folder under dist/ -> its entry points (output name -> source). */
const BUNDLES = {
  plugin: { entryPoints: PLUGIN_ENTRIES },
  runtime: {
    entryPoints: RUNTIME_ENTRIES,
    // Bundling renames clashing top-level names; the runtime's classes keep theirs
    // (error names are part of what users match on and see).
    keepNames: true,
  },
};

const dist = resolve(process.argv[2] ?? root, "dist");
for (const [folder, { entryPoints, keepNames = false }] of Object.entries(BUNDLES)) {
  const outdir = resolve(dist, folder);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    keepNames,
    sourcemap: "linked",
    logLevel: "warning",
    metafile: true,
  });
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js"));
  console.log(`cairn: built ${files.length} files into ${outdir} (${Object.keys(entryPoints).join(", ")})`);
}

const types = resolve(dist, "types");
rmSync(types, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const emitted = spawnSync(process.execPath, [tsc, "-p", resolve(root, "tsconfig.types.json"), "--outDir", types], { stdio: "inherit" });
if (emitted.status !== 0) {
  console.error("cairn: emitting declarations failed");
  process.exit(1);
}
console.log(`cairn: declarations in ${types}`);
