/**
 * A fixture project with cairn installed as a user has it: a copy of the package
 * whose dist/ is freshly built by scripts/build.mjs, and the bundlers linked in;
 * and `node` runs in that project, as a user's terminal would.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { TempProject } from "./bundler-project.ts";
import { REPO_ROOT } from "./fixtures.ts";

/**
 * What the package holds once installed, besides dist/ (built into the copy).
 * Copied, not linked: bundlers treat a file whose real path is outside
 * node_modules as the project's own and compile it themselves, which would hide
 * a plugin that plain Node cannot load. Its dependencies are linked.
 */
const PACKAGE_ENTRIES = ["package.json", "index.ts", "plugin", "runtime", "ir-schema", "cli"];
const TOOLS = ["vite", "rollup", "esbuild", "webpack", "@babel", "@types", "@rollup", "typescript", "tslib", "ts-loader"];

/** Replaces the project's linked cairn with an installed copy that has its own freshly built dist/. */
export function installBuiltCairn(project: TempProject): void {
  const pkg = project.path("node_modules/cairnjs");
  rmSync(pkg);
  mkdirSync(pkg);
  for (const entry of PACKAGE_ENTRIES) cpSync(join(REPO_ROOT, entry), join(pkg, entry), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(pkg, "node_modules"));
  const built = spawnSync(process.execPath, [join(REPO_ROOT, "scripts/build.mjs"), pkg], { encoding: "utf8" });
  expect(built.stderr).toBe("");
  expect(built.status).toBe(0);
  for (const tool of TOOLS) symlinkSync(join(REPO_ROOT, "node_modules", tool), project.path(`node_modules/${tool}`));
}

/** Runs `node <args>` in the project: no TypeScript loader, nothing inherited from vitest's own process options. */
export function node(project: TempProject, ...args: string[]): { status: number | null; output: string } {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const run = spawnSync(process.execPath, args, { cwd: project.dir, env: { ...env, NO_COLOR: "1" }, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
