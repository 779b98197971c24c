/**
 * `npm pack` of this package without touching the tree: the packed files are
 * copied into a temporary folder (with scripts/ and the tsconfigs the build needs,
 * and this repository's node_modules linked), dist/ is built there, and the
 * tarball is written into `destination`. What test/deploy-guide.test.ts and
 * bench/install-size.ts install, as users would get it from the registry.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Packs the package into `destination` and returns the tarball's path. `types`:
 * build dist/types too (what is published; slower), else only the JavaScript.
 */
export function packPackage(destination: string, options: { types?: boolean } = {}): string {
  const copy = mkdtempSync(join(tmpdir(), "cairn-pack-"));
  try {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { files: string[] };
    const entries = [...pkg.files.filter((f) => f !== "dist/"), "package.json", "README.md", "scripts", "tsconfig.json", "tsconfig.types.json"];
    for (const entry of entries) cpSync(join(REPO, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
    execFileSync(process.execPath, [join(copy, "scripts/build.mjs"), ...(options.types ? [] : ["--no-types"])], { cwd: copy, stdio: "ignore" });
    // The build ran above (prepack would run it again, with the declarations).
    const name = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", destination], { cwd: copy, encoding: "utf8" }).trim();
    return join(destination, name.split("\n").at(-1)!);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
