/**
 * The package as installed, for bench/startup.ts: a copy of this tree's package.json
 * and cli/ with dist/ built afresh by scripts/build.mjs (JavaScript only), its
 * dependencies linked from this repository; and an app beside it, bundled by esbuild
 * with the cairn plugin (dist/worker.js, cairn external; dist/cairn, its IR), with
 * the copy installed in its node_modules.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import cairn from "../plugin/bundler/esbuild.ts";
import { REPO_ROOT } from "./common.ts";

export interface BuiltPackage {
  /** The copy's cli/bin.js. */
  bin: string;
  /** The app's folder (dist/worker.js, dist/cairn). */
  app: string;
  cleanup(): void;
}

const WORKER = `import { action, workflow } from "cairnjs";
export const double = action(async function double(n: number): Promise<number> { return n * 2; });
export const twice = workflow(async function twice(n: number) {
  const a = await double(n);
  return await double(a);
});
`;

export async function builtPackage(): Promise<BuiltPackage> {
  const root = mkdtempSync(join(tmpdir(), "cairn-bench-startup-"));
  const pkg = join(root, "cairnjs");
  const app = join(root, "app");
  mkdirSync(pkg);
  for (const entry of ["package.json", "cli"]) cpSync(join(REPO_ROOT, entry), join(pkg, entry), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(pkg, "node_modules"));
  execFileSync(process.execPath, [join(REPO_ROOT, "scripts/build.mjs"), pkg, "--no-types"], { stdio: "ignore" });
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(pkg, join(app, "node_modules/cairnjs"));
  writeFileSync(join(app, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(app, "worker.ts"), WORKER);
  await build({
    absWorkingDir: app, entryPoints: ["worker.ts"], bundle: true, platform: "node", format: "esm",
    external: ["cairnjs"], outdir: "dist", logLevel: "warning", plugins: [cairn()],
  });
  return { bin: join(pkg, "cli/bin.js"), app, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
