import { afterAll, expect, test } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from "../runtime/store/embedded.ts";
import { connectDb } from "../runtime/store/db.ts";

// Under /tmp so that, when tests run as root, the `postgres` user can reach the directory.
const dir = mkdtempSync(join(tmpdir(), "cairn-embedded-"));
chmodSync(dir, 0o755);
afterAll(async () => {
  await stopEmbeddedPostgres(dir);
  rmSync(dir, { recursive: true, force: true });
});

test("concurrent starts share one embedded server, which outlives them and stops on request", async () => {
  const [a, b] = await Promise.all([ensureEmbeddedPostgres({ dir }), ensureEmbeddedPostgres({ dir })]);
  expect(a.url).toBe(b.url);
  expect([a.started, b.started].sort()).toEqual([false, true]);
  expect(a.dataDir).toBe(join(dir, ".cairn", "pg"));
  const db = await connectDb(a.url);
  const [row] = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  expect(Number(row.v)).toBeGreaterThanOrEqual(140000);
  await db.close();
  const again = await ensureEmbeddedPostgres({ dir });
  expect(again).toEqual({ ...a, started: false });
  expect(await stopEmbeddedPostgres(dir)).toBe(true);
  expect(await stopEmbeddedPostgres(dir)).toBe(false);
}, 120_000);

test("a project the server's user cannot reach (root, under a mktemp -d folder) keeps its data in the temp directory", async () => {
  const closed = mkdtempSync(join(tmpdir(), "cairn-closed-"));
  chmodSync(closed, 0o700);
  const project = join(closed, "app");
  mkdirSync(project);
  try {
    const server = await ensureEmbeddedPostgres({ dir: project });
    // As root the server runs as `postgres`, which cannot enter a 0700 folder of root's;
    // any other user runs it as themselves, and the data stays in the project.
    if (userInfo().uid === 0) expect(server.dataDir).toMatch(new RegExp(`^${tmpdir()}/cairn-pg-[0-9a-f]{16}$`));
    else expect(server.dataDir).toBe(join(project, ".cairn", "pg"));
    expect(await ensureEmbeddedPostgres({ dir: project })).toEqual({ ...server, started: false });
    const db = await connectDb(server.url);
    expect(await db.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await db.close();
    expect(await stopEmbeddedPostgres(project)).toBe(true);
    rmSync(server.dataDir, { recursive: true, force: true });
  } finally {
    await stopEmbeddedPostgres(project);
    rmSync(closed, { recursive: true, force: true });
  }
}, 120_000);
