/**
 * An action's stack, durably (a real worker on Postgres): each failed attempt's
 * error keeps the frames of the Error the action threw (errors.ts STACK_KEY), in
 * the task's last_error and in the history, and the instance's error carries it
 * when the error escapes the workflow; `cairn status <id>` prints it under the
 * error, one frame a line.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { cairn, tempProject } from "./cli-harness.ts";
import { databaseUrl } from "./helpers/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "stack");
});
afterAll(() => env?.close());

const SOURCE = `
import { action, runAction, workflow } from "cairnjs";
export const explode = action(async function explode() {
  throw new Error("boom");
});
export const fragile = workflow(async function fragile() {
  return await runAction(explode(), { retry: { attempts: 2, delay: "10ms" } });
});
`;
const THROW_LINE = SOURCE.split("\n").findIndex((l) => l.includes('throw new Error("boom")')) + 1;
/** The first frame: the action itself, in its source file, at the throw. */
const FIRST_FRAME = new RegExp(`^at explode \\(.*/test/tmp/error_stack_durable\\.ts:${THROW_LINE}:9\\)$`);

const stackOf = (error: unknown): string => (error as Record<string, unknown>)["%stack"] as string;

test("an action's new Error('boom') keeps its stack in last_error, the history and the instance's error, and cairn status prints it", async () => {
  const { artifact, actions } = await inlineWorkflow("error_stack_durable", SOURCE);
  await env.startWorker({ actions });
  const run = await env.client.start(artifact, {});
  const failed = (await run.result().catch((e: unknown) => e)) as { error: Record<string, unknown> };
  expect(failed.error).toEqual({ name: "Error", message: "boom", ancestry: ["Error"], "%stack": expect.any(String) });
  expect(stackOf(failed.error).split("\n")[0]).toMatch(FIRST_FRAME);
  // result()'s error carries that stack as its cause, which Node prints under the caller's own.
  const cause = (failed as unknown as Error).cause as Error;
  expect(cause.stack!.split("\n")).toEqual(["Error: boom", ...stackOf(failed.error).split("\n").map((f) => `    ${f}`)]);

  // The first attempt's error, kept on the task for its retry.
  const [task] = await env.db.query<{ last_error: unknown }>(`SELECT last_error FROM "${env.schema}".tasks WHERE instance_id = $1`, [run.id]);
  expect(stackOf(task!.last_error).split("\n")[0]).toMatch(FIRST_FRAME);

  const report = await env.client.status(run.id);
  const errorsIn = (kind: string) => report.history.filter((h) => h.kind === kind).map((h) => (h.data as { error: unknown }).error);
  const attemptErrors = [...errorsIn("retry"), ...errorsIn("resolved")];
  expect(attemptErrors).toHaveLength(2);
  for (const e of attemptErrors) expect(stackOf(e).split("\n")[0]).toMatch(FIRST_FRAME);
  expect(errorsIn("failed")).toEqual([report.error]);
  expect(report.error).toEqual(failed.error);

  const project = tempProject("outside", {});
  try {
    const status = await cairn(["status", run.id], project.dir, { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: env.schema });
    expect(status.code).toBe(0);
    const lines = status.stdout.split("\n");
    const at = lines.indexOf('  error {"name":"Error","message":"boom","ancestry":["Error"]}');
    expect(at).toBeGreaterThan(0);
    const frames = stackOf(failed.error).split("\n");
    expect(lines.slice(at + 1, at + 1 + frames.length)).toEqual(frames.map((f) => `    ${f}`));
    expect(lines[at + 1]).toMatch(/^ {4}at explode \(/);
  } finally {
    project.cleanup();
  }
  await env.stopWorkers();
}, 60_000);
