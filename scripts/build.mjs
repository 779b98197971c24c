#!/usr/bin/env node
// Builds what the package ships besides its TypeScript sources:
// - dist/plugin: the bundler and Babel plugins, which a bundler's own CLI imports
//   from its config file (`vite build`, `rollup -c`, webpack, babel-jest) with no
//   TypeScript loader in the process.
// - dist/runtime: the runtime entry points ("cairnjs", "cairnjs/runtime",
//   "cairnjs/ir"), which an application imports when it runs in plain Node: a
//   bundle that leaves cairn external, a server compiled by tsc; and the CLI
//   (cli.js, run by cli/bin.js). One build, so the CLI and the user code it loads
//   share the runtime's modules (one Worker class, one registry of actions). The
//   commands are chunks of their own, imported when chosen; the compiler's chunks
//   load only for commands that compile. (The repository's tests run the CLI from
//   its sources instead: cli/source-bin.js.)
// - dist/types: declarations for every entry point, which users' type-checks
//   read instead of our sources (tsconfig.types.json).
// Plain JavaScript, so `npm install` (the `prepare` script) can run it.
//
// One ESM bundle per entry point, sharing chunks within each folder (one copy of
// the compiler, or of the runtime, however many entries a process loads);
// dependencies stay imports.
//
// `node scripts/build.mjs [package dir] [--no-types]`: the package directory to
// write dist/ into, default this one (the tests build an installed copy).
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
  cli: "cli/main.ts",
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

/**
 * What stays an import in the build: every package but TypeBox, and the CLI's
 * resolve hook. TypeBox is bundled (only the validator's few functions remain):
 * its ESM build is some 900 files, which a worker would otherwise read one by one
 * at every start. The hook (cli/cairn-resolution.js) is registered with Node by its
 * own URL, so it must stay that file: chunks sit in dist/<folder>/, two folders
 * below the package root as the hook's importers in cli/ are one.
 */
const externals = {
  name: "cairn-externals",
  setup(b) {
    // No side effects, as with `packages: "external"`: an import nothing uses is left out.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@sinclair/typebox") ? undefined : { path: args.path, external: true, sideEffects: false },
    );
    b.onResolve({ filter: /\/cairn-resolution\.js$/ }, () => ({ path: "../../cli/cairn-resolution.js", external: true }));
  },
};

const args = process.argv.slice(2);
/** `--no-types`: the JavaScript only (tests that run the built CLI need no declarations). */
const withTypes = !args.includes("--no-types");
const dist = resolve(args.find((a) => !a.startsWith("--")) ?? root, "dist");
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
    plugins: [externals],
    keepNames,
    sourcemap: "linked",
    logLevel: "warning",
    metafile: true,
  });
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js"));
  console.log(`cairn: built ${files.length} files into ${outdir} (${Object.keys(entryPoints).join(", ")})`);
}

if (!withTypes) process.exit(0);
const types = resolve(dist, "types");
rmSync(types, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const emitted = spawnSync(process.execPath, [tsc, "-p", resolve(root, "tsconfig.types.json"), "--outDir", types], { stdio: "inherit" });
if (emitted.status !== 0) {
  console.error("cairn: emitting declarations failed");
  process.exit(1);
}
console.log(`cairn: declarations in ${types}`);
