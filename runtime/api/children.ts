import type { Workflow, WorkflowBody, WorkflowClass } from "./workflow.ts";

type RunArgs<W> = W extends abstract new (...args: never[]) => { run(...args: infer A): unknown } ? A
  : W extends (...args: infer A) => unknown ? A : never;
type RunResult<W> = W extends abstract new (...args: never[]) => { run(...args: never[]): infer R } ? Awaited<R>
  : W extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * Inside a compiled workflow: runs `workflow` as a child instance and gives its
 * result (or rejects with its error). As plain JavaScript it simply runs it.
 */
export async function runWorkflow<W extends WorkflowClass | WorkflowBody>(workflow: W, ...args: RunArgs<W>): Promise<RunResult<W>> {
  if (typeof workflow !== "function") throw new TypeError("runWorkflow(workflow, ...args): expected a workflow class or function");
  if (isClass(workflow)) {
    const Cls = workflow as unknown as new () => Workflow & { run(...a: unknown[]): Promise<unknown> };
    return (await new Cls().run(...(args as unknown[]))) as RunResult<W>;
  }
  return (await (workflow as (...a: unknown[]) => unknown)(...(args as unknown[]))) as RunResult<W>;
}

function isClass(fn: Function): boolean {
  return Function.prototype.toString.call(fn).startsWith("class");
}
