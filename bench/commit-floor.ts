/**
 * The floor under "action → next action": one durable commit as Node sees it. A
 * step must be durable before the next action may start (its arguments can depend
 * on the result), so no design does better than one round trip that commits. This
 * measures that round trip on the same server in the same run: a one-row upsert of
 * a small JSON value (what a step's state write is, without the rest), prepared,
 * from node-postgres, one at a time.
 */
import pg from "pg";

const ROUNDS = 1000;
const WARMUP = 100;

export async function commitFloor(url: string): Promise<{ p50: number; p99: number }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query("CREATE TABLE IF NOT EXISTS bench_commit_floor (id int PRIMARY KEY, v json NOT NULL)");
    const samples: number[] = [];
    const value = JSON.stringify({ pad: "x".repeat(400) });
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const t0 = performance.now();
      await db.query({
        name: "bench_commit_floor",
        text: "INSERT INTO bench_commit_floor (id, v) VALUES ($1, $2::text::json) ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v",
        values: [i % 100, value],
      });
      if (i >= WARMUP) samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50: samples[Math.floor(samples.length / 2)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
  } finally {
    await db.query("DROP TABLE IF EXISTS bench_commit_floor").catch(() => {});
    await db.end();
  }
}
