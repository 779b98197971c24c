import { describe, expect, it } from "vitest";
import { action, actionContext, ActionTimeoutError } from "../index.ts";
import { runLocal, virtualClock, WorkflowError, type LocalEvent } from "../runtime/index.ts";
import { block, callAwait, catchTo, isErr, lit, obj, path, prop, ret, retryPolicy, v, workflow, type BlockSpec } from "./helpers/ir-builders.ts";
import type { Expr } from "../ir-schema/index.ts";

const once = (options?: Expr): BlockSpec[] => [block(ret(v("r")), [callAwait("c1", "work", [], "r", options ? { options } : {})])];

/** An action failing its first `failures` attempts, and the attempt/retry events of its run. */
async function runFlaky(failures: number, options?: Expr, extra: { defaultRetry?: object } = {}) {
  const events: LocalEvent[] = [];
  const work = action("work", async () => {
    if (actionContext().attempt <= failures) throw new Error(`attempt ${actionContext().attempt} failed`);
    return "done";
  });
  const run = runLocal(workflow([], once(options)), {}, { actions: [work], clock: virtualClock(), onEvent: (e) => events.push(e), ...extra });
  const outcome = await run.then((value) => ({ value }), (error: unknown) => ({ error }));
  const times = (type: string) => events.filter((e) => e.type === type).map((e) => e.at);
  return { outcome, attempts: times("attempt"), retries: events.filter((e) => e.type === "retry") };
}

describe("retries", () => {
  it("the default policy: 3 attempts, 1s then 2s backoff", async () => {
    const r = await runFlaky(2);
    expect(r.outcome).toEqual({ value: "done" });
    expect(r.attempts).toEqual([0, 1000, 3000]);
    expect(r.retries.map((e) => e.type === "retry" && [e.attempt, e.delay, e.error.message])).toEqual([
      [1, 1000, "attempt 1 failed"], [2, 2000, "attempt 2 failed"],
    ]);
  });

  it("gives up after `attempts` tries with the last error", async () => {
    const r = await runFlaky(5);
    expect(r.attempts).toEqual([0, 1000, 3000]);
    expect(r.outcome).toMatchObject({ error: { name: "Error", message: "attempt 3 failed" } });
    expect((r.outcome as { error: unknown }).error).toBeInstanceOf(WorkflowError);
  });

  it("delay grows by factor up to maxDelay; durations may be strings", async () => {
    const opts = obj(prop("retry", obj(prop("attempts", lit(5)), prop("delay", lit("1s")), prop("factor", lit(3)), prop("maxDelay", lit("5s")))));
    const r = await runFlaky(4, opts);
    expect(r.outcome).toEqual({ value: "done" });
    expect(r.attempts).toEqual([0, 1000, 4000, 9000, 14000]);
  });

  it("a plain retry object takes the defaults for omitted fields", async () => {
    const r = await runFlaky(3, obj(prop("retry", obj(prop("attempts", lit(4))))));
    expect(r.attempts).toEqual([0, 1000, 3000, 7000]);
  });

  it("a RetryPolicy without attempts retries up to 100 times", async () => {
    const r = await runFlaky(150, obj(prop("retry", retryPolicy(obj(prop("delay", lit(10)), prop("factor", lit(1)))))));
    expect(r.attempts).toHaveLength(100);
    expect(r.attempts[99]).toBe(990);
    expect(r.outcome).toMatchObject({ error: { message: "attempt 100 failed" } });
  });

  it("attempts: 1 means no retry; the runner default is configurable", async () => {
    expect((await runFlaky(1, obj(prop("retry", obj(prop("attempts", lit(1))))))).attempts).toEqual([0]);
    expect((await runFlaky(1, undefined, { defaultRetry: { attempts: 2, delay: "250ms" } })).attempts).toEqual([0, 250]);
  });
});

describe("timeouts", () => {
  const slowWorkflow = (extra: BlockSpec[] = []) => workflow([], [
    block(ret(v("r")), [callAwait("c1", "slow", [], "r", {
      options: obj(prop("timeout", lit("50ms")), prop("retry", obj(prop("attempts", lit(2)), prop("delay", lit(1000))))),
    })], extra.length ? catchTo(1, "e") : undefined),
    ...extra,
  ]);

  function slowAction(log: { attempt: number; reason: unknown; at: number }[], clock: { now(): number }) {
    return action("slow", () => {
      const { signal, attempt } = actionContext();
      return new Promise((_, reject) => {
        signal.addEventListener("abort", () => {
          log.push({ attempt, reason: signal.reason, at: clock.now() });
          reject(new Error("aborted"));
        });
      });
    });
  }

  it("aborts the attempt's signal, fails it with ActionTimeoutError and counts it as an attempt", async () => {
    const clock = virtualClock();
    const log: { attempt: number; reason: unknown; at: number }[] = [];
    const error = await runLocal(slowWorkflow(), {}, { actions: [slowAction(log, clock)], clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ name: "ActionTimeoutError", message: "action 'slow' timed out after 50ms", ancestry: ["ActionTimeoutError", "Error"] });
        // Timeouts run on real time; only the backoff between the attempts is virtual.
    expect(log.map((l) => [l.attempt, l.at])).toEqual([[1, 0], [2, 1000]]);
    expect(log[0].reason).toBeInstanceOf(ActionTimeoutError);
  });

  it("is catchable in the workflow by class", async () => {
    const clock = virtualClock();
    const wf = slowWorkflow([block(ret(obj(prop("timedOut", isErr(v("e"), "ActionTimeoutError")), prop("timeoutMs", path("e", "timeoutMs")))))]);
    expect(await runLocal(wf, {}, { actions: [slowAction([], clock)], clock })).toEqual({ timedOut: true, timeoutMs: 50 });
  });

  it("an attempt finishing in time is not affected", async () => {
    const quick = action("slow", async () => "fast");
    expect(await runLocal(slowWorkflow(), {}, { actions: [quick], clock: virtualClock() })).toBe("fast");
  });
});
