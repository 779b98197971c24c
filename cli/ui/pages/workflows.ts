/** GET /workflows: every workflow, its versions (by hash) with instance counts by status and durations; GET /workflows/:hash: a version's graph. */
import { flowGraph } from "../../../runtime/graph/index.ts";
import { NotFound, type Ctx, type PageResult } from "../context.ts";
import { STATUSES } from "../data.ts";
import { graphSvg } from "../graph-svg.ts";
import { duration, html, iso, query } from "../html.ts";
import { page, statusBadge } from "../layout.ts";

export async function workflowsPage(ctx: Ctx): Promise<PageResult> {
  const db = ctx.client.db;
  const [defs, stats] = await Promise.all([ctx.ui.definitions(db), ctx.ui.versionStats(db)]);
  const byHash = new Map<string, Map<string, { count: number; p50: number | null; p99: number | null }>>();
  for (const s of stats) {
    if (!byHash.has(s.hash)) byHash.set(s.hash, new Map());
    byHash.get(s.hash)!.set(s.status, { count: Number(s.count), p50: s.p50, p99: s.p99 });
  }
  const body = html`<h1>Workflows</h1>
${defs.length === 0 ? html`<p class="muted">No workflow registered yet.</p>` : html`<table class="workflows"><thead><tr><th>workflow</th><th>version</th><th>registered</th>
${STATUSES.map((s) => html`<th>${s}</th>`)}<th>p50</th><th>p99</th></tr></thead><tbody>
${defs.map((d) => {
  const counts = byHash.get(d.hash) ?? new Map();
  const done = counts.get("completed");
  return html`<tr><td><a href="/instances${query({ workflow: d.name })}">${d.name}</a></td><td><a class="mono" href="/workflows/${d.hash}">${d.hash.slice(0, 12)}</a></td>
<td class="mono">${iso(d.created_at)}</td>${STATUSES.map((s) => html`<td>${counts.get(s)?.count ? html`<a href="/instances${query({ workflow: d.name, status: s })}">${counts.get(s)!.count}</a>` : "0"}</td>`)}
<td>${duration(done?.p50)}</td><td>${duration(done?.p99)}</td></tr>`;
})}</tbody></table><p class="muted">Counts are over the instances of each version; durations over its completed ones.</p>`}`;
  return { body: page("Workflows", "/workflows", body) };
}

export async function definitionPage(ctx: Ctx, hash: string): Promise<PageResult> {
  const ir = await ctx.client.engine.q.getDefinition(ctx.client.db, hash);
  if (ir === null) throw new NotFound(`no workflow version ${hash}`);
  const artifact = await ctx.client.engine.artifact(ctx.client.db, hash);
  const g = flowGraph(artifact);
  const body = html`<h1>${artifact.name} <span class="mono muted">${hash}</span></h1>
<p><a href="/instances${query({ workflow: artifact.name })}">its instances</a> · ${statusBadge("graph")} one node per block of the compiled program</p>
<div class="graph-wrap">${graphSvg(g)}</div>`;
  return { body: page(artifact.name, "/workflows", body) };
}
