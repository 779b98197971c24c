/** Shared by the test/cli-*.test.ts files: spawn the real `cairn` bin and capture everything. */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The CLI from its sources (cli/source-bin.js): the code as it is in the tree; test/cli-built.test.ts runs the build. */
export const BIN = join(REPO, "cli", "source-bin.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cairn(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh directory with the given files; `where` decides whether it sits inside this repository. */
export function tempProject(where: "outside" | "inside", files: Record<string, string>): { dir: string; cleanup(): void } {
  const base = where === "outside" ? tmpdir() : join(REPO, "test", "tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "cairn-cli-"));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
