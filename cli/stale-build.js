// In a checkout of cairn's repository (never an installed package: it has no .git),
// the built CLI can lag behind the sources someone just edited. Say so rather than
// run old code silently. Installed copies skip this after one failed stat.
import { existsSync, readdirSync, statSync } from "node:fs";

const ROOT = new URL("../", import.meta.url);
const SOURCES = ["index.ts", "cli", "runtime", "plugin", "ir-schema"];

/** A warning line when dist/runtime/cli.js is older than a source file of a checkout, else null. */
export function staleBuildWarning() {
  if (!existsSync(new URL(".git", ROOT))) return null;
  const built = statSync(new URL("dist/runtime/cli.js", ROOT), { throwIfNoEntry: false });
  if (!built) return null;
  const newer = SOURCES.map((s) => newestChange(new URL(s, ROOT))).find((t) => t > built.mtimeMs);
  return newer === undefined
    ? null
    : "cairn: warning: the built CLI (dist/) is older than the sources of this checkout: run `npm run build` (or node cli/source-bin.js)\n";
}

/** @param {URL} url */
function newestChange(url) {
  const st = statSync(url, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return /\.(ts|js)$/.test(url.pathname) ? st.mtimeMs : 0;
  let newest = 0;
  for (const entry of readdirSync(url, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|js)$/.test(entry.name)) continue;
    const t = statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}
