/**
 * A workflow's control-flow graph, as people read it: one node per block of the
 * program (what it does, in the source's words: calls, awaits, sleeps, receives,
 * children; where it starts in the source), an edge per jump, branch (labelled with
 * its condition) and catch. Built from the artifact alone, so `cairn graph`, the web
 * UI and anything else draw the same graph of what actually runs, with block ids
 * that match an instance's position (`pc.block`).
 */
import type { Artifact, Block, Expr, Instr } from "../../ir-schema/index.ts";

export interface FlowNode {
  /** The block's id: what an instance's state names as its position. */
  id: number;
  kind: "step" | "return" | "throw";
  /** One line per thing the block does. */
  steps: string[];
  /** Where the block starts in the source (`path:line:col`), when it has a statement. */
  loc: string | null;
}

export interface FlowEdge {
  from: number;
  to: number;
  kind: "next" | "true" | "false" | "catch";
  /** A branch's condition ("else" on its other edge), a catch's bound name. */
  label: string | null;
}

export interface FlowGraph {
  workflow: string;
  hash: string;
  entry: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function flowGraph(artifact: Artifact): FlowGraph {
  const { program } = artifact;
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  for (const block of program.blocks) {
    nodes.push({ id: block.id, kind: kindOf(block), steps: stepsOf(block), loc: block.instrs[0]?.loc ?? block.term.loc ?? null });
    const t = block.term;
    if (t.kind === "jump") edges.push({ from: block.id, to: t.to, kind: "next", label: null });
    if (t.kind === "branch") {
      const cond = exprText(t.cond);
      edges.push({ from: block.id, to: t.then, kind: "true", label: cond });
      edges.push({ from: block.id, to: t.else, kind: "false", label: "else" });
    }
    if (block.handler) edges.push({ from: block.id, to: block.handler.block, kind: "catch", label: block.handler.bind });
  }
  return { workflow: artifact.name, hash: artifact.hash, entry: program.entry, nodes, edges };
}

function kindOf(block: Block): FlowNode["kind"] {
  return block.term.kind === "return" ? "return" : block.term.kind === "throw" ? "throw" : "step";
}

function stepsOf(block: Block): string[] {
  const steps = block.instrs.map(instrText).filter((s): s is string => s !== null);
  if (block.term.kind === "return") steps.push(`return ${exprText(block.term.value)}`);
  if (block.term.kind === "throw") steps.push(`throw ${exprText(block.term.value)}`);
  return steps;
}

/** The step an instruction is, or null for bookkeeping (assignments, iterator steps). */
export function instrText(i: Instr): string | null {
  switch (i.kind) {
    case "call":
      return `${i.action}(${argsText(i.args)})`;
    case "child":
      return `child ${i.workflow}(${argsText(i.args)})`;
    case "receive":
      return `receive ${exprText(i.topic)}${i.timeout ? ` (timeout ${exprText(i.timeout)})` : ""}`;
    case "send":
      return `send ${exprText(i.topic)} to ${exprText(i.instance)}`;
    case "publish":
      return `publish ${exprText(i.key)} = ${exprText(i.value)}`;
    case "await":
      return i.mode === "one" ? null : `await Promise.${i.mode}`;
    case "sleep":
      return `sleep ${exprText(i.duration)}`;
    case "log":
      return `console.${i.level}`;
    case "assign":
    case "push":
    case "next":
      return null;
  }
}

function argsText(args: Expr): string {
  return args.kind === "array" ? args.items.map((a) => (a.kind === "spread" ? `...${exprText(a.value)}` : exprText(a))).join(", ") : exprText(args);
}

/** A short reading of an expression; compiler temporaries (`%t1`) and anything long are elided. */
export function exprText(e: Expr, depth = 0): string {
  if (depth > 3) return "…";
  const sub = (x: Expr) => exprText(x, depth + 1);
  switch (e.kind) {
    case "lit":
      return JSON.stringify(e.value) ?? "undefined";
    case "global":
      return e.name;
    case "var":
      return e.name.startsWith("%") ? "…" : e.name;
    case "member":
      return e.property.kind === "lit" && typeof e.property.value === "string"
        ? `${sub(e.object)}${e.optional ? "?." : "."}${e.property.value}`
        : `${sub(e.object)}[${sub(e.property)}]`;
    case "unary":
      return `${e.op}${e.op.length > 1 ? " " : ""}${sub(e.arg)}`;
    case "binary":
    case "logical":
      return `${sub(e.left)} ${e.op} ${sub(e.right)}`;
    case "cond":
      return `${sub(e.test)} ? ${sub(e.then)} : ${sub(e.else)}`;
    case "builtin":
      return `${e.name}(…)`;
    case "method":
      return `${sub(e.object)}.${e.name}(…)`;
    case "isError":
      return `${sub(e.value)} instanceof ${e.className}`;
    case "array":
      return "[…]";
    case "object":
      return "{…}";
    case "template":
      return "`…`";
    default:
      return "…";
  }
}
