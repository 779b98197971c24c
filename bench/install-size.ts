/**
 * What installing cairnjs weighs (bench/startup.ts --install): the packed package
 * (test/helpers/pack.ts, with its declarations, as published) installed into an
 * empty folder twice, from the registry like any dependency: as developers install
 * it (`npm install cairnjs`: the compiler, tsx and the embedded Postgres included)
 * and as production installs it (`npm install --omit=optional cairnjs`,
 * docs/deploy.md). Packages in node_modules and their size on disk; and whether
 * npm warned.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPackage } from "../test/helpers/pack.ts";

export interface InstallSize {
  name: string;
  flags: string[];
  packages: number;
  bytes: number;
  warnings: string[];
}

/**
 * Production target: what a worker serving prebuilt IR needs, and no more (the
 * issue measured 33 packages, 90 MB with everything a hard dependency; pg alone
 * brings 12 packages).
 */
const TARGET = { packages: 20, megabytes: 10 };

export async function installSizes(): Promise<InstallSize[]> {
  const root = mkdtempSync(join(tmpdir(), "cairn-bench-install-"));
  try {
    const tarball = packPackage(root, { types: true });
    return [
      install(root, tarball, "full (npm install cairnjs)", []),
      install(root, tarball, "production (npm install --omit=optional cairnjs)", ["--omit=optional"]),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function install(root: string, tarball: string, name: string, flags: string[]): InstallSize {
  const dir = join(root, flags.length ? "production" : "full");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), '{ "name": "app", "private": true }\n');
  const run = spawnSync("npm", ["install", ...flags, "--no-audit", "--no-fund", tarball], { cwd: dir, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm install ${flags.join(" ")} failed:\n${run.stderr}`);
  const output = `${run.stdout}${run.stderr}`;
  // npm 11 names each package whose install scripts it did not run ("  name@version (postinstall: ...)").
  const warnings = [...output.matchAll(/^npm warn install-scripts\s+(\S+@\S+) \((\w+):/gm)].map((m) => `${m[1]} (${m[2]})`);
  const other = output.split("\n").filter((l) => /^npm warn/.test(l) && !l.startsWith("npm warn install-scripts"));
  warnings.push(...other);
  const modules = join(dir, "node_modules");
  return { name, flags, packages: countPackages(modules), bytes: diskBytes(modules), warnings };
}

/** Folders with a package.json directly in node_modules (scoped ones one level deeper), nested node_modules too. */
function countPackages(modules: string): number {
  let n = 0;
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const path = join(modules, entry.name);
    if (entry.name.startsWith("@")) n += countPackages(path);
    else {
      n += 1;
      const nested = join(path, "node_modules");
      if (statSync(nested, { throwIfNoEntry: false })?.isDirectory()) n += countPackages(nested);
    }
  }
  return n;
}

/** Bytes on disk (allocated blocks), as `du` counts them. */
function diskBytes(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false, bigint: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.blocks * 512;
  let total = st.blocks * 512;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}

export function renderInstallSizes(sizes: InstallSize[]): string[] {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  return [
    "## Install size (the packed package, installed from its tarball into an empty folder)",
    "",
    `| install | packages | MB on disk | npm warnings (install scripts it did not run) | target |`,
    "|---|---:|---:|---|---|",
    ...sizes.map((s) => {
      const target = s.flags.length
        ? `<= ${TARGET.packages} packages, <= ${TARGET.megabytes} MB: ${s.packages <= TARGET.packages && s.bytes / 1024 / 1024 <= TARGET.megabytes ? "met" : "**not met**"}`
        : "";
      return `| ${s.name} | ${s.packages} | ${mb(s.bytes)} | ${s.warnings.length ? s.warnings.join(", ") : "none"} | ${target} |`;
    }),
  ];
}
