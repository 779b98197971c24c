import { describe, expect, it } from "vitest";
import {
  action, actionContext, actionName, isAction, parseDuration, runAction, sleep, workflow, ActionTimeoutError, RetryPolicy, Workflow,
} from "../index.ts";

// Function names here never equal their const's name: Vite's esbuild transform would rename them.
describe("action", () => {
  const greetAction = action(async function greet(name: string) { return `hi ${name}`; });
  const notify = action("notify-user", async (id: string) => id.length);

  it("is the function itself outside a workflow, with its durable name", async () => {
    expect(await greetAction("ada")).toBe("hi ada");
    expect(await notify("abc")).toBe(3);
    expect(greetAction.actionName).toBe("greet");
    expect(notify.actionName).toBe("notify-user");
    expect([actionName(greetAction), actionName(notify)]).toEqual(["greet", "notify-user"]);
    expect([isAction(greetAction), isAction(() => 1), isAction({ actionName: "x" })]).toEqual([true, false, false]);
    expect(() => actionName(() => 1)).toThrow("actionName(x): x is not an action (wrap the function with action(...))");
  });

  it("keeps sync functions sync and `actionName` read-only", () => {
    const add = action(function plus(a: number, b: number) { return a + b; });
    expect(add(2, 3)).toBe(5);
    expect(() => { (add as { actionName: string }).actionName = "x"; }).toThrow(TypeError);
  });

  it("an anonymous action needs a name", () => {
    expect(() => action(Object.defineProperty(() => 1, "name", { value: "" }))).toThrow(
      'action(fn): an anonymous function needs an explicit name: action("my-action", fn)',
    );
  });
});

describe("workflow", () => {
  it("wraps a function, runs the plain body, carries its name", async () => {
    const wf = workflow(async function onboarding(x: number) { return x * 2; });
    const named = workflow("Named", async (x: number) => x + 1);
    expect([await wf(2), wf.workflowName, await named(1), named.workflowName]).toEqual([4, "onboarding", 2, "Named"]);
  });

  it("decorates classes: @workflow and @workflow(name)", async () => {
    @workflow
    class Onboarding extends Workflow {
      async run(user: string) { return this.runAction(Promise.resolve(user), { retry: new RetryPolicy({ attempts: 2 }), timeout: "30s" }); }
    }
    @workflow("billing-v2")
    class Billing extends Workflow { async run() { return 1; } }
    expect((Onboarding as typeof Workflow).workflowName).toBe("Onboarding");
    expect((Billing as typeof Workflow).workflowName).toBe("billing-v2");
    expect(await new Onboarding().run("u")).toBe("u");
  });

  it("accepts both decorator calling conventions", () => {
    class Legacy extends Workflow { async run() { return 0; } }
    expect(workflow(Legacy)).toBe(Legacy);
    class Standard extends Workflow { async run() { return 0; } }
    const ctx = { kind: "class", name: "Standard" } as ClassDecoratorContext;
    expect(workflow("std")(Standard, ctx)).toBe(Standard);
    expect((Legacy as typeof Workflow).workflowName).toBe("Legacy");
    expect((Standard as typeof Workflow).workflowName).toBe("std");
    class NoRun extends Workflow {}
    expect(() => workflow(NoRun)).toThrow("@workflow: class NoRun must define an async run(...) method");
  });

  it("runAction returns the call and checks its options", async () => {
    const p = Promise.resolve(7);
    expect(runAction(p, { timeout: 5 })).toBe(p);
    expect(() => runAction(p, { timeout: "soon" })).toThrow('invalid timeout "soon": expected milliseconds or a string like "250ms", "30s", "5m", "2h", "1d"');
    expect(() => runAction(p, { retry: { attempts: 0 } })).toThrow("invalid retry attempts 0: expected an integer >= 1 (total tries)");
    expect(() => runAction(p, { retries: 3 } as never)).toThrow("unknown call option 'retries'; expected retry or timeout");
  });
});

describe("durations, retry policies, errors", () => {
  it.each([
    [250, 250], ["250ms", 250], ["30s", 30_000], ["1.5s", 1500], ["5m", 300_000], ["2h", 7_200_000], ["1d", 86_400_000], [0, 0],
  ] as const)("parseDuration(%j) = %d", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([["5 minutes"], ["-1s"], [-5], [Number.NaN], [""], [null]])("parseDuration(%j) is rejected", (input) => {
    expect(() => parseDuration(input)).toThrow(TypeError);
  });

  it("RetryPolicy: attempts defaults to 100, other fields stay unset", () => {
    expect({ ...new RetryPolicy() }).toEqual({ attempts: 100 });
    expect({ ...new RetryPolicy({ delay: "2s", factor: 3 }) }).toEqual({ attempts: 100, delay: "2s", factor: 3 });
    expect(() => new RetryPolicy({ factor: 0.5 })).toThrow("invalid retry factor 0.5: expected a number >= 1");
  });

  it("ActionTimeoutError is an Error named after its class", () => {
    const e = new ActionTimeoutError("too slow");
    expect([e instanceof Error, e.name, e.message]).toEqual([true, "ActionTimeoutError", "too slow"]);
  });

  it("actionContext() outside an action explains itself", () => {
    expect(() => actionContext()).toThrow(
      "actionContext() called outside an action: it is only available while a Cairn runner executes an action attempt",
    );
  });

  it("sleep outside a workflow is a real timer", async () => {
    const t0 = Date.now();
    await sleep("30ms");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(29);
  });
});
