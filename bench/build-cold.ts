/**
 * One esbuild build of a bench app without the plugin, then with it (first build,
 * empty cache), then with a new plugin instance served from that cache, all in
 * this fresh process: what a CI job that starts Node for its build pays, the
 * compiler's one-time costs included (loading its code, V8 compiling and warming
 * up Babel's parser). Run by bench/build.ts in a child process; prints JSON.
 *
 * Usage: tsx bench/build-cold.ts <app dir> <entry> <work dir>
 */
import * as esbuild from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";
import cairn from "../plugin/bundler/esbuild.ts";

const [dir, entry, work] = process.argv.slice(2);
if (!dir || !entry || !work) throw new Error("usage: tsx bench/build-cold.ts <app dir> <entry> <work dir>");

async function cpuOf(plugin: boolean, out: string): Promise<number> {
  const start = process.cpuUsage();
  await esbuild.build({
    absWorkingDir: dir, entryPoints: [entry], bundle: true, platform: "node", format: "esm", outdir: join(work, out), logLevel: "silent",
    plugins: plugin ? [cairn()] : [],
  });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

rmSync(join(dir, "node_modules", ".cache", "cairn"), { recursive: true, force: true });
const without = await cpuOf(false, "cold-without");
const first = await cpuOf(true, "cold-first");
const cached = await cpuOf(true, "cold-cached");
console.log(JSON.stringify({ without, first, cached }));
