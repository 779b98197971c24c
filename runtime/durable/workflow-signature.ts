/**
 * A workflow's arguments and result, read from its own source signature: the
 * function of `workflow(async function f(...))`, or `run` of an `@workflow` class.
 * A bundler plugin turns either into a compiled handle at build time, but the type
 * checker still sees the source, so `client.start(onboarding, ...)` is checked
 * against `onboarding`'s parameters and its handle's `result()` has its return type.
 */
import type { WorkflowBody, WorkflowClass, WorkflowFunction } from "../api/workflow.ts";

/** A workflow as the type checker sees it in the source: typed. */
export type TypedWorkflow = WorkflowFunction<WorkflowBody> | WorkflowClass;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matching any constructor signature
type AnyConstructor<I> = abstract new (...args: any[]) => I;

export type WorkflowArgs<W> = W extends (...args: infer A) => Promise<unknown>
  ? A
  : W extends AnyConstructor<{ run(...args: infer A): Promise<unknown> }>
    ? A
    : never;

export type WorkflowResult<W> = W extends (...args: never[]) => Promise<infer R>
  ? R
  : W extends AnyConstructor<{ run(...args: never[]): Promise<infer R> }>
    ? R
    : never;
