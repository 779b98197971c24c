import { afterAll, expect, test } from "vitest";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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
