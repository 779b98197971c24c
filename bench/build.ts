/**
 * Build benchmark (`npm run bench:build`): what the cairn plugin adds to a real
 * build. For each bundler it builds a generated 500-module app (40 modules with
 * workflows) with and without the plugin, and the same app with no workflow
 * modules, then prints:
 *   - ratio: build time with the plugin / without, on the app with workflows;
 *   - +ms per other module: (plain app with - without) / 500;
 *   - +ms per workflow module: the rest of the difference on the workflow app,
 *     divided by its 40 workflow modules.
 * Every build is a cold one (fresh bundler and plugin instance); the best of
 * --runs after one warm-up, with and without interleaved so drift hits both alike.
 * Targets are judged on this process's CPU time, like bench:compile (on a busy
 * machine wall time mostly measures the other processes); it leaves out work in
 * esbuild's own process (esbuild itself, Vite's and the Rollup setup's TypeScript
 * transform), which makes the Vite and Rollup ratios conservative. esbuild's
 * ratio is on wall time.
 * Targets: ratio <= 1.3 for Vite and Rollup; <= 2 ms per workflow module and
 * <= 0.05 ms per other module for every bundler. Exits 1 when a target is missed.
 *
 * Options: --runs <n> (default 7), --only <bundler,...>.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { rollup } from "rollup";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import cairnEsbuild from "../plugin/bundler/esbuild.ts";
import cairnRollup from "../plugin/bundler/rollup.ts";
import cairnVite from "../plugin/bundler/vite.ts";
import cairnWebpack from "../plugin/bundler/webpack.ts";
import { typescript } from "../test/helpers/rollup-esbuild.ts";
import { MODULES, WORKFLOW_MODULES, writeApp, type BenchApp } from "./build-app.ts";

const TS_LOADER = fileURLToPath(new URL("../test/helpers/esbuild-ts-loader.cjs", import.meta.url));
const TARGETS = { ratio: 1.3, perWorkflowModule: 2, perOtherModule: 0.05 };
const RATIO_TARGETED = new Set(["vite", "rollup"]);

type Build = (app: BenchApp, withPlugin: boolean, out: string) => Promise<void>;

const bundlers: Record<string, Build> = {
  async esbuild(app, withPlugin, out) {
    await esbuild.build({
      absWorkingDir: app.dir, entryPoints: [app.entry], bundle: true, platform: "node", format: "esm", outdir: out, logLevel: "silent",
      plugins: withPlugin ? [cairnEsbuild()] : [],
    });
  },
  async rollup(app, withPlugin, out) {
    const bundle = await rollup({
      input: app.entry, external: [/^cairn$/, /^node:/], onwarn: () => {},
      plugins: [...(withPlugin ? [cairnRollup()] : []), typescript()],
    });
    await bundle.write({ dir: out, format: "esm" });
    await bundle.close();
  },
  async vite(app, withPlugin, out) {
    await viteBuild({
      root: app.dir, configFile: false, logLevel: "silent",
      plugins: withPlugin ? [cairnVite()] : [],
      build: { ssr: app.entry, outDir: out, emptyOutDir: true, minify: false },
    });
  },
  async webpack(app, withPlugin, out) {
    const compiler = webpack({
      mode: "development", devtool: false, context: app.dir, entry: app.entry, target: "node20",
      output: { path: out, filename: "index.mjs", module: true, library: { type: "module" }, chunkFormat: "module" },
      experiments: { outputModule: true },
      resolve: { extensions: [".ts", ".js"] },
      module: { rules: [{ test: /\.ts$/, use: [{ loader: TS_LOADER }] }] },
      plugins: withPlugin ? [cairnWebpack()] : [],
      infrastructureLogging: { level: "none" },
    });
    await new Promise<void>((resolve, reject) =>
      compiler.run((err, stats) =>
        compiler.close(() => (err ? reject(err) : stats?.hasErrors() ? reject(new Error(stats.toString("errors-only"))) : resolve())),
      ),
    );
  },
};

const { values } = parseArgs({ options: { runs: { type: "string", default: "7" }, only: { type: "string" } } });
const runs = Number(values.runs);
const only = values.only ? values.only.split(",") : Object.keys(bundlers);

interface Sample {
  wall: number;
  cpu: number;
}

async function time(build: Build, app: BenchApp, withPlugin: boolean): Promise<Sample> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await build(app, withPlugin, `${app.dir}/dist-${withPlugin ? "with" : "without"}`);
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
}

/**
 * Best of `runs` cold builds with and without the plugin, interleaved, after one
 * warm-up each. Best rather than median: other load on the machine only ever adds
 * time, and the differences measured here are small next to it.
 */
async function measure(build: Build, app: BenchApp): Promise<{ without: Sample; with: Sample }> {
  await time(build, app, false);
  await time(build, app, true);
  const without: Sample[] = [];
  const withPlugin: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    without.push(await time(build, app, false));
    withPlugin.push(await time(build, app, true));
  }
  const best = (xs: Sample[]): Sample => ({ wall: Math.min(...xs.map((x) => x.wall)), cpu: Math.min(...xs.map((x) => x.cpu)) });
  return { without: best(without), with: best(withPlugin) };
}

const apps = { workflows: writeApp("workflows"), plain: writeApp("plain") };
const misses: string[] = [];
try {
  console.log(`bench:build: ${MODULES} modules (${WORKFLOW_MODULES} with workflows), best of ${runs} cold builds each\n`);
  console.log("            wall: app without / with / ratio    cpu: app without / with / ratio   +ms per workflow module / other module (cpu)");
  for (const name of only) {
    const build = bundlers[name];
    if (!build) throw new Error(`unknown bundler ${name}; one of ${Object.keys(bundlers).join(", ")}`);
    const app = await measure(build, apps.workflows);
    const plain = await measure(build, apps.plain);
    const ratio = (k: keyof Sample) => app.with[k] / app.without[k];
    const perOther = (plain.with.cpu - plain.without.cpu) / MODULES;
    const perWorkflow = (app.with.cpu - app.without.cpu - perOther * (MODULES - WORKFLOW_MODULES)) / WORKFLOW_MODULES;
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const row = [
      name.padEnd(9),
      `${ms(app.without.wall)} / ${ms(app.with.wall)} / ${ratio("wall").toFixed(2)}x`.padStart(30),
      `${ms(app.without.cpu)} / ${ms(app.with.cpu)} / ${ratio("cpu").toFixed(2)}x`.padStart(33),
      `${perWorkflow.toFixed(2)} / ${perOther.toFixed(4)}`.padStart(28),
    ].join("  ");
    console.log(row);
    // esbuild bundles in its own process, which process CPU time does not see: its ratio is on wall time.
    const judged = name === "esbuild" ? ratio("wall") : ratio("cpu");
    if (RATIO_TARGETED.has(name) && judged > TARGETS.ratio) misses.push(`${name}: ratio ${judged.toFixed(2)}x > ${TARGETS.ratio}x`);
    if (perWorkflow > TARGETS.perWorkflowModule) misses.push(`${name}: ${perWorkflow.toFixed(2)} ms per workflow module > ${TARGETS.perWorkflowModule}`);
    if (perOther > TARGETS.perOtherModule) misses.push(`${name}: ${perOther.toFixed(4)} ms per other module > ${TARGETS.perOtherModule}`);
  }
} finally {
  apps.workflows.remove();
  apps.plain.remove();
}
console.log(`\ntargets: ratio <= ${TARGETS.ratio}x (vite, rollup); <= ${TARGETS.perWorkflowModule} ms per workflow module; <= ${TARGETS.perOtherModule} ms per other module`);
if (misses.length > 0) {
  console.log(`missed:\n  ${misses.join("\n  ")}`);
  process.exitCode = 1;
} else {
  console.log("all targets met");
}
