/**
 * Workload for the crash tests: three sequential actions that take a little while,
 * each recording every attempt (with its idempotency key) in an `effects` table,
 * the way a real action would guard a side effect.
 */
import pg from "pg";
import { action, actionContext, workflow } from "cairnjs";

const pool = process.env.CAIRN_TEST_DB ? new pg.Pool({ connectionString: process.env.CAIRN_TEST_DB, max: 4 }) : null;
const schema = process.env.CAIRN_TEST_SCHEMA ?? "cairn";

async function record(step: string): Promise<void> {
  const ctx = actionContext();
  await pool?.query(`INSERT INTO "${schema}".effects (key, step, attempt, pid) VALUES ($1, $2, $3, $4)`, [
    ctx.idempotencyKey, step, ctx.attempt, process.pid,
  ]);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const stepA = action(async function stepA(n: number): Promise<number> {
  await record("a");
  await pause(20 + (n % 7) * 10);
  return n + 1;
});

export const stepB = action(async function stepB(n: number): Promise<number> {
  await record("b");
  await pause(20 + (n % 5) * 15);
  return n * 2;
});

export const stepC = action(async function stepC(n: number, original: number): Promise<string> {
  await record("c");
  await pause(10 + (n % 3) * 20);
  return `${original}->${n}`;
});

export const crashWorkflow = workflow(async function crashWorkflow(n: number) {
  const a = await stepA(n);
  const b = await stepB(a);
  return await stepC(b, n);
});
