/**
 * One esbuild build of a bench app without the plugin, then with it (first build,
 * empty cache), then with a new plugin instance served from that cache, all in
 * this fresh process: what a CI job that starts Node for its build pays, the
 * compiler's one-time costs included: loading the plugin (`load`, measured on its
 * own and included in `first` and `cached`), V8 compiling and warming up Babel's parser. The
 * plugin is the one users load, "cairnjs/esbuild", built into dist/ (`npm run
 * build`; npm ci builds it). Run by bench/build.ts in a child process; prints JSON.
 *
 * Usage: tsx bench/build-cold.ts <app dir> <entry> <work dir>
 */
import * as esbuild from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";

const [dir, entry, work] = process.argv.slice(2);
if (!dir || !entry || !work) throw new Error("usage: tsx bench/build-cold.ts <app dir> <entry> <work dir>");

type Cairn = typeof import("../plugin/bundler/esbuild.ts").default;

async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const build = (plugin: Cairn | null, out: string) =>
  esbuild.build({
    absWorkingDir: dir, entryPoints: [entry], bundle: true, platform: "node", format: "esm", outdir: join(work, out), logLevel: "silent",
    plugins: plugin ? [plugin()] : [],
  });

rmSync(join(dir, "node_modules", ".cache", "cairn"), { recursive: true, force: true });
const without = await cpuOf(() => build(null, "cold-without"));
let cairn: Cairn | null = null;
const load = await cpuOf(async () => (cairn = ((await import("cairnjs/esbuild")) as { default: Cairn }).default));
const first = load + (await cpuOf(() => build(cairn, "cold-first")));
// As a fresh process restoring the cache would pay it: loading the plugin, then a build served from the cache.
const cached = load + (await cpuOf(() => build(cairn, "cold-cached")));
console.log(JSON.stringify({ without, load, first, cached }));
