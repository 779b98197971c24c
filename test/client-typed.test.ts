/**
 * The typed client: `client.start(handle, ...args)` checked against the workflow's
 * own signature (positional arguments mapped to the artifact's parameter names), a
 * handle whose `result()` has the workflow's return type, the name-keyed form kept,
 * `client.results(ids)` waiting for many at once, and the errors plain JavaScript
 * gets for wrong arguments. Real Postgres, an in-process worker.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { action, workflow, Workflow } from "../index.ts";
import { compiledWorkflow } from "../runtime/api/compiled.ts";
import { InvalidInputError } from "../runtime/durable/engine.ts";
import { WorkflowFailedError, type InstanceOutcome, type StartedHandle } from "../runtime/durable/client.ts";
import type { Json } from "../ir-schema/index.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

const SOURCE = `import { action, workflow, Workflow } from "cairnjs";
export class Declined extends Error {}
export const price = action(async function price(plan: string, seats: number): Promise<number> {
  if (plan === "none") throw new Declined("no plan " + plan);
  return plan === "pro" ? 10 * seats : seats;
});
export const quote = workflow(async function quote(plan: string, seats: number = 1, note?: string) {
  const total = await price(plan, seats);
  return { plan, total, note: note ?? null };
});
`;

// What the type checker sees of the workflows (their source forms); at run time a
// bundler plugin would have replaced each by its compiled handle, as done below.
const quoteSource = workflow(async function quote(plan: string, seats: number = 1, note?: string) {
  const total = await priceSource(plan, seats);
  return { plan, total, note: note ?? null };
});
const priceSource = action(async function price(plan: string, seats: number): Promise<number> {
  return plan.length * seats;
});
@workflow
class Tally extends Workflow {
  async run(items: string[]): Promise<number> {
    return items.length;
  }
}

let env: DurableEnv;
let quote: typeof quoteSource;
let artifact: Parameters<typeof compiledWorkflow>[0];

beforeAll(async () => {
  const inline = await inlineWorkflow("client-typed", SOURCE);
  artifact = inline.artifact;
  quote = compiledWorkflow(artifact) as unknown as typeof quoteSource;
  env = await durableEnv("pg", "typed");
  await env.startWorker({ actions: inline.actions, workflows: [artifact] });
});
afterAll(() => env.close());

describe("client.start(handle, ...args)", () => {
  it("is typed from the workflow's signature, maps the arguments to its parameter names, and result() has its return type", async () => {
    const run = await env.client.start(quote, "pro", 3, "annual");
    expectTypeOf(run).toEqualTypeOf<StartedHandle<{ plan: string; total: number; note: string | null }>>();
    const result = await run.result();
    expectTypeOf(result.total).toEqualTypeOf<number>();
    expect(result).toEqual({ plan: "pro", total: 30, note: "annual" });
    const [row] = await env.db.query<{ input: unknown }>(`SELECT input FROM "${env.schema}".instances WHERE id = $1`, [run.id]);
    expect(row!.input).toEqual({ plan: "pro", seats: 3, note: "annual" });
    // Parameters with a default or `?` may be left out, as in a plain call.
    expect(await (await env.client.start(quote, "basic")).result()).toEqual({ plan: "basic", total: 1, note: null });
    // The class form: run's parameters and result.
    expectTypeOf<Parameters<typeof env.client.start<typeof Tally>>>().toEqualTypeOf<[typeof Tally, string[]]>();
    expectTypeOf<ReturnType<typeof env.client.start<typeof Tally>>>().toEqualTypeOf<Promise<StartedHandle<number>>>();
  });

  it("wrong arguments are type errors, and in plain JavaScript errors that say what the workflow takes", async () => {
    // @ts-expect-error seats is a number (at run time values are not type-checked: the IR has no types)
    expect(await (await env.client.start(quote, "pro", "3")).result()).toEqual({ plan: "pro", total: 30, note: null });
    // @ts-expect-error too many arguments
    await expect(env.client.start(quote, "pro", 1, "n", "extra" as never)).rejects.toThrow(new TypeError("workflow quote takes 3 arguments (plan, seats, note), got 4"));
    // (No arguments at all also reads as the name-keyed form with no input: the engine names what is missing.)
    await expect(env.client.start(quote)).rejects.toThrow(InvalidInputError);
  });

  it("keeps the name-keyed form (a handle given one object of parameter names, an artifact, a name), with options", async () => {
    const keyed = await env.client.start(quote, { plan: "pro", seats: 2 });
    expectTypeOf(keyed).toEqualTypeOf<StartedHandle<Json>>();
    expect(await keyed.result()).toEqual({ plan: "pro", total: 20, note: null });
    const first = await env.client.start(artifact, { plan: "x" }, { idempotencyKey: "typed-1" });
    const again = await env.client.start("quote", { plan: "x" }, { idempotencyKey: "typed-1" });
    expect([first.created, again.created, again.id]).toEqual([true, false, first.id]);
    // An artifact takes only the name-keyed form: a typo is the engine's error, never an argument.
    await expect(env.client.start(artifact, { plna: "x" })).rejects.toThrow(InvalidInputError);
    await expect(env.client.start(artifact, { plan: "x" }, { retries: 3 } as never)).rejects.toThrow(
      new TypeError("client.start(quote, input, options): options may hold idempotencyKey only, not { retries }"),
    );
    // Options for the positional form.
    const keyedRun = await env.client.with({ idempotencyKey: "typed-2" }).start(quote, "pro", 1);
    const keyedAgain = await env.client.with({ idempotencyKey: "typed-2" }).start(quote, "pro", 1);
    expect([keyedRun.created, keyedAgain.created, keyedAgain.id]).toEqual([true, false, keyedRun.id]);
  });
});

describe("client.results(ids)", () => {
  it("waits for many instances at once: each result or error, in the order asked, duplicates included", async () => {
    const runs = await Promise.all([
      env.client.start(quote, "pro", 1),
      env.client.start(quote, "none", 1),
      env.client.start(quote, "basic", 5),
    ]);
    const ids = [runs[2]!.id, runs[0]!.id, runs[1]!.id, runs[0]!.id];
    const outcomes = await env.client.results(ids);
    expectTypeOf(outcomes).toEqualTypeOf<InstanceOutcome[]>();
    expect(outcomes.map((o) => (o.status === "completed" ? [o.id, o.result] : [o.id, o.status, o.error.name, o.error.message]))).toEqual([
      [runs[2]!.id, { plan: "basic", total: 5, note: null }],
      [runs[0]!.id, { plan: "pro", total: 10, note: null }],
      [runs[1]!.id, "failed", "Declined", "no plan none"],
      [runs[0]!.id, { plan: "pro", total: 10, note: null }],
    ]);
    const failed = outcomes[2]!;
    expect(failed.status === "failed" && failed.error instanceof WorkflowFailedError).toBe(true);
    expect(await env.client.results([])).toEqual([]);
  });

  it("an unknown id, a bad id and a timeout are errors", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    await expect(env.client.results([unknown])).rejects.toThrow(`no workflow instance ${unknown}`);
    await expect(env.client.results(["nope"])).rejects.toThrow("no workflow instance nope");
    await expect(env.client.results("abc" as never)).rejects.toThrow(new TypeError("client.results(ids): ids must be an array of instance id strings"));
    await env.stopWorkers();
    const waiting = await env.client.start(quote, "pro", 1);
    await expect(env.client.results([waiting.id], { timeoutMs: 300 })).rejects.toThrow("timed out waiting for 1 of 1 workflow instance(s)");
  });
});
