/**
 * A workflow's control-flow graph (runtime/graph, the same graph `cairn graph`
 * prints) laid out by dagre on the server and drawn as inline SVG: no script and
 * nothing fetched in the browser. Blocks the instance went through are marked
 * `visited`, the block it is at `current` (ids are the state's `pc.block`).
 */
import { graphlib, layout } from "@dagrejs/dagre";
import type { FlowGraph, FlowNode } from "../../runtime/graph/index.ts";
import { html, type Html } from "./html.ts";

const CHAR_W = 7.2;
const LINE_H = 16;
const PAD = 8;
const MAX_CHARS = 56;

export interface Marks {
  current?: number | null;
  visited?: ReadonlySet<number>;
  /** The current block ends the run in failure (drawn red). */
  failed?: boolean;
  /** Which of the current block's steps (0: its first) the instance is at. */
  step?: number | null;
}

function nodeLines(n: FlowNode, g: FlowGraph): string[] {
  const head = `${n.id === g.entry ? "start" : `b${n.id}`}${n.loc ? `  line ${n.loc.split(":").at(-2)}` : ""}`;
  return [head, ...n.steps].map((l) => (l.length > MAX_CHARS ? `${l.slice(0, MAX_CHARS - 1)}…` : l));
}

export function graphSvg(g: FlowGraph, marks: Marks = {}): Html {
  const dg = new graphlib.Graph({ multigraph: true });
  dg.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  const lines = new Map<number, string[]>();
  for (const n of g.nodes) {
    const text = nodeLines(n, g);
    lines.set(n.id, text);
    dg.setNode(String(n.id), { width: Math.max(...text.map((l) => l.length)) * CHAR_W + 2 * PAD, height: text.length * LINE_H + PAD });
  }
  g.edges.forEach((e, i) => {
    const label = e.label === null ? "" : e.kind === "catch" ? `catch ${e.label}` : e.label;
    const short = label.length > 30 ? `${label.slice(0, 29)}…` : label;
    dg.setEdge(String(e.from), String(e.to), { label: short, width: short.length * CHAR_W, height: short ? LINE_H : 0, labelpos: "c" }, `e${i}`);
  });
  layout(dg);
  const { width = 0, height = 0 } = dg.graph() as { width?: number; height?: number };
  const edges = g.edges.map((e, i) => {
    const label = dg.edge(String(e.from), String(e.to), `e${i}`) as { points?: Array<{ x: number; y: number }>; label: string; x?: number; y?: number };
    const d = (label.points ?? []).map((p, j) => `${j ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    const cls = `edge ${e.kind}`;
    return html`<g class="${cls}"><path d="${d}" marker-end="url(#arrow)"/>${label.label && label.x !== undefined
      ? html`<text x="${label.x.toFixed(1)}" y="${(label.y! + 4).toFixed(1)}" text-anchor="middle">${label.label}</text>` : ""}</g>`;
  });
  const nodes = g.nodes.map((n) => {
    const box = dg.node(String(n.id)) as { x: number; y: number; width: number; height: number };
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    const state = n.id === marks.current ? (marks.failed ? "current failed" : "current") : marks.visited?.has(n.id) ? "visited" : "";
    const text = lines.get(n.id)!;
    const rx = n.kind === "step" ? 3 : 12;
    const at = n.id === marks.current && marks.step !== null && marks.step !== undefined ? marks.step + 1 : -1;
    const rows = text.map((l, j) => html`<text class="${j === 0 ? "head" : j === at ? "at" : ""}" x="${(x + PAD).toFixed(1)}" y="${(y + PAD / 2 + LINE_H * (j + 1) - 4).toFixed(1)}">${l}</text>`);
    return html`<g class="node ${n.kind} ${state}" data-block="${n.id}"><title>${n.loc ?? `block ${n.id}`}</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="${rx}"/>${rows}</g>`;
  });
  return html`<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="img" aria-label="control-flow graph of ${g.workflow}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
${edges}${nodes}</svg>`;
}
