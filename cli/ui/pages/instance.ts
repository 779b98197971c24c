/** GET /instances/:id: everything about one instance, its place in the graph, and what can be done to it. */
import type { Json } from "../../../ir-schema/index.ts";
import { decodeWire } from "../../../runtime/payload.ts";
import { stateFromJson } from "../../../runtime/interpreter/codec.ts";
import { flowGraph, instrText } from "../../../runtime/graph/index.ts";
import type { Artifact } from "../../../ir-schema/index.ts";
import type { InstanceStatusReport } from "../../../runtime/durable/status.ts";
import type { InstanceRow } from "../../../runtime/durable/sql.ts";
import { NotFound, type Ctx, type PageResult } from "../context.ts";
import { graphSvg } from "../graph-svg.ts";
import { duration, html, iso, jsonText, type Html } from "../html.ts";
import { csrfField, page, statusBadge } from "../layout.ts";
import { errorLine, stackText, timeline } from "../timeline.ts";

const FINISHED = new Set(["completed", "failed", "cancelled"]);

export async function instancePage(ctx: Ctx, id: string, problem?: string): Promise<PageResult> {
  const { engine, db } = ctx.client;
  const row = await engine.q.instance(db, id);
  if (!row) throw new NotFound(`no instance ${id}`);
  const report = await ctx.client.status(id);
  const body = html`<h1>${report.workflow} <span class="mono muted">${report.id}</span> ${statusBadge(report.status)}</h1>
${problem ? html`<div class="problem" role="alert">${problem}</div>` : ""}
${summary(row, report)}
${actions(ctx, report)}
<div class="grid">
<section><h2>Input</h2><pre class="input">${jsonText(decodeWire(row.input))}</pre>
${outcome(report)}
${published(report)}${messages(report)}${children(report)}</section>
<section><h2>Where it is</h2>${await graph(ctx, row, report)}</section>
</div>
<h2>Timeline</h2>${timeline(report)}`;
  return { status: problem ? 400 : 200, body: page(`${report.workflow} ${report.id.slice(0, 8)}`, "/instances", body, ctx.url.searchParams.get("notice")) };
}

function summary(row: InstanceRow, r: InstanceStatusReport): Html {
  const took = row.finished_at === null ? null : row.finished_at - row.created_at;
  return html`<p class="muted">version <a class="mono" href="/workflows/${r.hash}">${r.hash.slice(0, 12)}</a> · created ${iso(row.created_at)}
${took === null ? "" : ` · finished ${iso(row.finished_at)} (took ${duration(took)})`}${r.at && !FINISHED.has(r.status) ? html` · at <span class="mono">${r.at}</span>` : ""}
${r.wakeAt ? ` · wakes at ${r.wakeAt}` : ""}${r.parent ? html` · child of <a href="/instances/${r.parent.id}">${r.parent.id}</a> (call ${r.parent.callId})` : ""}</p>`;
}

function actions(ctx: Ctx, r: InstanceStatusReport): Html {
  const running = !FINISHED.has(r.status);
  return html`<div class="panel actions">
${running ? html`<form method="post" action="/instances/${r.id}/cancel" class="cancel">${csrfField(ctx.csrf)}<label>reason<input name="reason" value="cancelled from the UI"></label><button class="danger" type="submit">Cancel</button></form>
<form method="post" action="/instances/${r.id}/send" class="send">${csrfField(ctx.csrf)}<label>topic<input name="topic" required></label><label>message (JSON)<textarea name="message" rows="1" cols="28">true</textarea></label><button type="submit">Send message</button></form>` : ""}
<form method="post" action="/instances/${r.id}/rerun" class="rerun">${csrfField(ctx.csrf)}<button type="submit">Start a new run with this input</button></form>
</div>`;
}

function outcome(r: InstanceStatusReport): Html {
  if (r.status === "completed") return html`<h2>Result</h2><pre class="result">${jsonText(r.result)}</pre>`;
  if (!r.error) return html``;
  // The stack the error kept (an action's, or the workflow's own location); where the
  // workflow was when it failed is the position the state holds.
  return html`<h2>Error</h2><div class="error"><p class="error-name">${errorLine(r.error)}</p>${stackText(r.error, "stack")}
${r.at ? html`<p class="muted">in the workflow at <span class="mono failed-at">${r.at}</span></p>` : ""}
<details><summary>as stored</summary><pre>${jsonText(r.error)}</pre></details></div>`;
}

function published(r: InstanceStatusReport): Html {
  const entries = Object.entries(r.published);
  if (entries.length === 0) return html``;
  return html`<h2>Published</h2><table class="published">${entries.map(([k, v]) => html`<tr><td class="mono">${k}</td><td><pre>${jsonText(v)}</pre></td></tr>`)}</table>`;
}

function messages(r: InstanceStatusReport): Html {
  if (r.messages.length === 0) return html``;
  return html`<h2>Messages</h2><table class="messages"><tr><th>sent</th><th>topic</th><th>message</th><th>received</th></tr>
${r.messages.map((m) => html`<tr><td class="mono">${iso(Date.parse(m.sentAt))}</td><td class="mono">${m.topic}</td><td><pre>${jsonText(m.message)}</pre></td><td>${m.receivedBy ?? "not yet"}</td></tr>`)}</table>`;
}

function children(r: InstanceStatusReport): Html {
  if (r.children.length === 0) return html``;
  return html`<h2>Children</h2><table class="children">${r.children.map((c) => html`<tr><td class="mono">${c.callId}</td><td><a class="mono" href="/instances/${c.id}">${c.id}</a></td><td>${c.workflow}</td><td>${statusBadge(c.status)}</td></tr>`)}</table>`;
}

/** The graph with the blocks the history says it waited or slept in marked, and where it is now. */
async function graph(ctx: Ctx, row: InstanceRow, r: InstanceStatusReport): Promise<Html> {
  let artifact;
  try {
    artifact = await ctx.client.engine.artifact(ctx.client.db, row.hash);
  } catch (error) {
    return html`<p class="muted">No graph: ${(error as Error).message}</p>`;
  }
  const g = flowGraph(artifact);
  const visited = new Set<number>([g.entry]);
  for (const h of r.history) {
    const at = h.data && typeof h.data === "object" && !Array.isArray(h.data) ? h.data.at : null;
    if (at && typeof at === "object" && !Array.isArray(at) && typeof at.block === "number") visited.add(at.block);
  }
  let current: number | null = null;
  let step: number | null = null;
  try {
    const pc = stateFromJson(row.state).pc;
    current = pc.block;
    step = stepAt(artifact, pc.block, pc.instr);
    visited.add(current);
  } catch {
    current = null;
  }
  const where = current === null ? "" : r.status === "completed" ? "ended" : r.status === "failed" ? "failed" : r.status === "cancelled" ? "stopped" : "is";
  return html`<p class="muted">${where ? html`It ${where} at block <b class="mono current-block">b${current}</b>; ` : ""}blocks it went through are blue.</p>
<div class="graph-wrap">${graphSvg(g, { current, step, visited, failed: r.status === "failed" || r.status === "cancelled" })}</div>`;
}

/**
 * The line of the graph's node (its steps, as flowGraph lists them) for the
 * instruction `instr` of `block`: the last step at or before it, or the block's
 * return/throw once the program is at its end.
 */
function stepAt(artifact: Artifact, blockId: number, instr: number): number | null {
  const block = artifact.program.blocks[blockId];
  if (!block) return null;
  let step = -1;
  for (let i = 0; i < block.instrs.length && i <= instr; i++) if (instrText(block.instrs[i]!) !== null) step++;
  if (instr >= block.instrs.length && (block.term.kind === "return" || block.term.kind === "throw")) step++;
  return step < 0 ? null : step;
}
