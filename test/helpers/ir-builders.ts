/**
 * Small constructors for hand-built IR in tests (the compiler is tested on its own).
 * Every node gets a dummy `loc`; `workflow()` numbers the blocks and seals the artifact.
 */
import { sealArtifact, type Artifact, type Block, type Expr, type Handler, type Instr, type Item, type Json, type NodeOf, type Prop, type Spread, type Term } from "../../ir-schema/index.ts";

const loc = "wf.ts:1:1";
type E = Expr;
type Key = string | number | E;
const key = (k: Key): E => (typeof k === "object" ? k : lit(k));

// ---- expressions ----------------------------------------------------------
export const lit = (value: Json): E => ({ kind: "lit", value, loc });
export const glob = (name: "undefined" | "NaN" | "Infinity"): E => ({ kind: "global", name, loc });
export const v = (name: string): E => ({ kind: "var", name, loc });
export const mem = (object: E, property: Key, optional = false): E => ({ kind: "member", object, property: key(property), optional, loc });
/** `a.b.c` from a variable and property names. */
export const path = (name: string, ...props: Key[]): E => props.reduce<E>((o, p) => mem(o, p), v(name));
export const builtin = (name: string, ...args: Item[]): E => ({ kind: "builtin", name, args, loc });
export const method = (object: E, name: string, args: Item[] = [], optional = false): E => ({ kind: "method", object, name, args, optional, loc });
export const un = (op: NodeOf<E, "unary">["op"], arg: E): E => ({ kind: "unary", op, arg, loc });
export const bin = (op: NodeOf<E, "binary">["op"], left: E, right: E): E => ({ kind: "binary", op, left, right, loc });
export const logical = (op: "&&" | "||" | "??", left: E, right: E): E => ({ kind: "logical", op, left, right, loc });
export const cond = (test: E, then: E, otherwise: E): E => ({ kind: "cond", test, then, else: otherwise, loc });
export const arr = (...items: Item[]): E => ({ kind: "array", items, loc });
export const spread = (value: E): Spread => ({ kind: "spread", value, loc });
export const prop = (k: Key, value: E): Prop => ({ kind: "prop", key: key(k), value, loc });
export const obj = (...props: (Prop | Spread)[]): E => ({ kind: "object", props, loc });
export const tmpl = (quasis: string[], exprs: E[]): E => ({ kind: "template", quasis, exprs, loc });
export const isErr = (value: E, className: string): E => ({ kind: "isError", value, className, loc });
export const arrayFn = (fn: NodeOf<E, "arrayFn">["fn"], source: E, param: string, body: E, index: string | null = null): E =>
  ({ kind: "arrayFn", fn, source, param, index, body, loc });
export const retryPolicy = (options: E): E => ({ kind: "retryPolicy", options, loc });

// ---- instructions ---------------------------------------------------------
export const assign = (target: string, value: E, ...pathKeys: Key[]): Instr => ({ kind: "assign", target, path: pathKeys.map(key), value, loc });
export const push = (target: string, items: E, ...pathKeys: Key[]): Instr => ({ kind: "push", target, path: pathKeys.map(key), items, loc });
export const call = (site: string, action: string, args: E[], target: string, opts: { iter?: string[]; options?: E } = {}): Instr =>
  ({ kind: "call", site, iter: opts.iter ?? [], action, args: arr(...args), options: opts.options ?? null, target, loc });
export const awaitOne = (value: E, target: string | null): Instr => ({ kind: "await", mode: "one", value, target, loc });
export const awaitAll = (value: E, target: string | null): Instr => ({ kind: "await", mode: "all", value, target, loc });
export const awaitSettled = (value: E, target: string | null): Instr => ({ kind: "await", mode: "allSettled", value, target, loc });
export const sleep = (duration: E): Instr => ({ kind: "sleep", duration, loc });
/** `target = await action(...args)` as the compiler lowers it: a call and an await of its handle. */
export const callAwait = (site: string, action: string, args: E[], target: string | null, opts: { iter?: string[]; options?: E } = {}): Instr[] => [
  call(site, action, args, `%h_${site}`, opts),
  awaitOne(v(`%h_${site}`), target),
];

export const child = (site: string, workflow: string, args: E[], target: string, iter: string[] = []): Instr =>
  ({ kind: "child", site, iter, workflow, args: arr(...args), target, loc });
export const receive = (site: string, topic: E, target: string, opts: { timeout?: E; iter?: string[] } = {}): Instr =>
  ({ kind: "receive", site, iter: opts.iter ?? [], topic, timeout: opts.timeout ?? null, target, loc });
export const send = (site: string, instance: E, topic: E, message: E, target: string, iter: string[] = []): Instr =>
  ({ kind: "send", site, iter, instance, topic, message, target, loc });
export const publish = (k: E, value: E): Instr => ({ kind: "publish", key: k, value, loc });

// ---- terminators ----------------------------------------------------------
export const jump = (to: number): Term => ({ kind: "jump", to, loc });
export const branch = (c: E, then: number, otherwise: number): Term => ({ kind: "branch", cond: c, then, else: otherwise, loc });
export const ret = (value: E = glob("undefined")): Term => ({ kind: "return", value, loc });
export const thr = (value: E): Term => ({ kind: "throw", value, loc });

// ---- structure ------------------------------------------------------------
export interface BlockSpec {
  instrs?: (Instr | Instr[])[];
  term: Term;
  handler?: Handler;
}
export const block = (term: Term, instrs: (Instr | Instr[])[] = [], handler?: Handler): BlockSpec => ({ instrs, term, handler });
export const catchTo = (blockId: number, bind: string): Handler => ({ block: blockId, bind });

/** A sealed artifact; `actions` defaults to every action the program calls. */
export function workflow(params: string[], blocks: BlockSpec[], opts: { name?: string; actions?: string[]; entry?: number } = {}): Artifact {
  const built: Block[] = blocks.map((b, id) => ({ id, handler: b.handler ?? null, instrs: (b.instrs ?? []).flat(), term: b.term }));
  const called = new Set<string>();
  const children = new Set<string>();
  for (const b of built) {
    for (const i of b.instrs) {
      if (i.kind === "call") called.add(i.action);
      if (i.kind === "child") children.add(i.workflow);
    }
  }
  return sealArtifact({
    irVersion: 1,
    name: opts.name ?? "TestWorkflow",
    source: "wf.ts",
    params,
    actions: opts.actions ?? [...called],
    ...(children.size > 0 ? { workflows: [...children].sort() } : {}),
    errors: [],
    program: { entry: opts.entry ?? 0, blocks: built },
  });
}

/** A one-block workflow returning `value`. */
export const returning = (value: E, params: string[] = [], instrs: (Instr | Instr[])[] = []): Artifact =>
  workflow(params, [block(ret(value), instrs)]);
