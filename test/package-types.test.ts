/**
 * Older TypeScript setups (moduleResolution "node", which ignores "exports") find
 * the package's built declarations through "types" and "typesVersions", not its
 * TypeScript sources (which they would type-check, and fail on).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO } from "./cli-harness.ts";

test('moduleResolution "node" type-checks a project against the declarations in dist/types', () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-oldts-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(REPO, join(dir, "node_modules", "cairnjs"), "dir");
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      // A Node project has @types/node: the declarations name Buffer and friends.
      compilerOptions: {
        module: "commonjs", moduleResolution: "node", target: "es2022", strict: true, noEmit: true,
        typeRoots: [join(REPO, "node_modules", "@types")], types: ["node"],
      },
      files: ["wf.ts"],
    }));
    writeFileSync(join(dir, "wf.ts"), `import { action, workflow } from "cairnjs";
import { connect, Worker } from "cairnjs/runtime";
import { validateArtifact } from "cairnjs/ir";
import type cairnEsbuild from "cairnjs/esbuild";
export const greet = action(async function greet(n: string) { return n; });
export const flow = workflow(async function flow(n: string) { return await greet(n); });
export const used = [connect, Worker, validateArtifact] as const;
export type Plugin = typeof cairnEsbuild;
`);
    const tsc = join(REPO, "node_modules", "typescript", "bin", "tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
    } catch (err) {
      output = (err as { stdout?: string }).stdout ?? String(err);
    }
    expect(output).toBe("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
