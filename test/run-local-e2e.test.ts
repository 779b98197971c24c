import { describe, expect, it } from "vitest";
import { compile, type ModuleResolver } from "../plugin/index.ts";
import type { Artifact } from "../ir-schema/index.ts";
import { action } from "../index.ts";
import { runLocal, virtualClock, WorkflowError, type LocalEvent } from "../runtime/index.ts";

/** Compiles one in-memory source file with the real compiler. */
function compileOne(source: string): Artifact {
  const file = "/virtual/demo.ts";
  const resolver: ModuleResolver = { root: "/virtual", resolve: () => null, read: (f) => (f === file ? source : null) };
  const result = compile(source, file, resolver);
  expect(result.diagnostics).toEqual([]);
  expect(result.workflows).toHaveLength(1);
  return result.workflows[0];
}

const header = `import { action, workflow, Workflow, sleep, RetryPolicy } from "cairnjs";
export const double = action(async function double(n: number): Promise<number> { return n * 2; });
export const fail = action(async function fail(msg: string): Promise<string> { throw new Error(msg); });
class Oops extends Error {}
`;

// Named explicitly: under Vite a function expression shadowing its const is renamed.
const double = action("double", async (n: number) => n * 2);
const fail = action("fail", async (msg: string): Promise<string> => { throw new Error(msg); });

describe("compiled workflows under runLocal", () => {
  it("fan-out, loops, sleep, retry options, try/catch and comprehension", async () => {
    const artifact = compileOne(`${header}
@workflow
export class Demo extends Workflow {
  async run(items: number[], label: string): Promise<unknown> {
    const doubled = await Promise.all(items.map((x) => double(x)));
    let total = 0;
    for (const d of doubled) { total += d; }
    await sleep("1h");
    let caught = "none";
    try {
      await this.runAction(fail("nope"), { retry: new RetryPolicy({ attempts: 2, delay: "1s" }) });
    } catch (err) {
      if (err instanceof Error) caught = err.message;
    }
    const big = doubled.filter((x) => x > 2);
    return { label: \`\${label}:\${total}\`, doubled, caught, big };
  }
}`);
    const events: LocalEvent[] = [];
    const result = await runLocal(artifact, { items: [1, 2, 3], label: "sum" }, {
      actions: [double, fail], clock: virtualClock(), onEvent: (e) => events.push(e),
    });
    expect(result).toEqual({ label: "sum:12", doubled: [2, 4, 6], caught: "nope", big: [4, 6] });
    const attempts = events.filter((e) => e.type === "attempt" && e.action === "fail").map((e) => e.at);
    expect(attempts).toEqual([3_600_000, 3_601_000]);
  });

  it("an uncaught action error fails the run with its name and message", async () => {
    const artifact = compileOne(`${header}
export const broken = workflow(async function broken(msg: string) {
  const x = await double(2);
  return await fail(msg + x);
});`);
    const error = await runLocal(artifact, { msg: "bad" }, { actions: { double, fail }, clock: virtualClock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ name: "Error", message: "bad4" });
  });
});
