/** `cairn graph`'s output formats for a FlowGraph: Mermaid flowcharts and Graphviz DOT. */
import type { FlowGraph, FlowNode } from "./flow-graph.ts";

export type GraphFormat = "mermaid" | "dot";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["mermaid", "dot"];

function lines(node: FlowNode, g: FlowGraph): string[] {
  const head = node.id === g.entry ? "start" : `b${node.id}`;
  const where = node.loc ? ` (line ${node.loc.split(":").at(-2)})` : "";
  return [`${head}${where}`, ...node.steps];
}

/** Mermaid `flowchart TD`: returns are rounded, catches dotted, branches labelled. */
export function toMermaid(g: FlowGraph): string {
  const esc = (s: string) => s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
  const out = ["flowchart TD"];
  for (const n of g.nodes) {
    const text = lines(n, g).map(esc).join("<br/>");
    out.push(n.kind === "step" ? `  b${n.id}["${text}"]` : `  b${n.id}(["${text}"])`);
  }
  for (const e of g.edges) {
    const label = e.label === null ? "" : `|"${esc(e.kind === "catch" ? `catch ${e.label}` : e.label)}"|`;
    out.push(`  b${e.from} ${e.kind === "catch" ? "-.->" : "-->"}${label} b${e.to}`);
  }
  return out.join("\n") + "\n";
}

/** Graphviz DOT: boxes for steps, rounded boxes for ends, dashed edges for catches. */
export function toDot(g: FlowGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
  const out = [`digraph ${q(g.workflow)} {`, "  node [shape=box, fontname=monospace];"];
  for (const n of g.nodes) {
    const style = n.kind === "step" ? "" : ", style=rounded";
    out.push(`  b${n.id} [label=${q(lines(n, g).join("\n"))}${style}];`);
  }
  for (const e of g.edges) {
    const attrs = [e.label === null ? null : `label=${q(e.kind === "catch" ? `catch ${e.label}` : e.label)}`, e.kind === "catch" ? "style=dashed" : null];
    const list = attrs.filter(Boolean).join(", ");
    out.push(`  b${e.from} -> b${e.to}${list ? ` [${list}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}
