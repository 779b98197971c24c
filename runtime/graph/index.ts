export { flowGraph, exprText, instrText, type FlowGraph, type FlowNode, type FlowEdge } from "./flow-graph.ts";
export { toMermaid, toDot, GRAPH_FORMATS, type GraphFormat } from "./render.ts";
