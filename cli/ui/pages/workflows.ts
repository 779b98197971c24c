/** GET /workflows: every workflow, its versions (by hash) with instance counts by status and durations; GET /workflows/:hash: a version's graph. */
import { flowGraph } from "../../../runtime/graph/index.ts";
import { NotFound, type Ctx, type PageResult } from "../context.ts";
import { DURATION_SAMPLE, STATUSES } from "../data.ts";
import { graphSvg } from "../graph-svg.ts";
import { duration, html, iso, query } from "../html.ts";
import { page, statusBadge } from "../layout.ts";

export async function workflowsPage(ctx: Ctx): Promise<PageResult> {
  const db = ctx.client.db;
  const [defs, counts, durations] = await Promise.all([ctx.ui.definitions(db), ctx.ui.versionCounts(db), ctx.ui.versionDurations(db)]);
  const byHash = new Map<string, Map<string, number>>();
  for (const c of counts) {
    if (!byHash.has(c.hash)) byHash.set(c.hash, new Map());
    byHash.get(c.hash)!.set(c.status, Number(c.count));
  }
  const took = new Map(durations.map((d) => [d.hash, d]));
  const body = html`<h1>Workflows</h1>
${defs.length === 0 ? html`<p class="muted">No workflow registered yet.</p>` : html`<table class="workflows"><thead><tr><th>workflow</th><th>version</th><th>registered</th>
${STATUSES.map((s) => html`<th>${s}</th>`)}<th>p50</th><th>p99</th></tr></thead><tbody>
${defs.map((d) => {
  const n = byHash.get(d.hash) ?? new Map<string, number>();
  const done = took.get(d.hash);
  return html`<tr><td><a href="/instances${query({ workflow: d.name })}">${d.name}</a></td><td><a class="mono" href="/workflows/${d.hash}">${d.hash.slice(0, 12)}</a></td>
<td class="mono">${iso(d.created_at)}</td>${STATUSES.map((s) => html`<td>${n.get(s) ? html`<a href="/instances${query({ workflow: d.name, status: s })}">${n.get(s)}</a>` : "0"}</td>`)}
<td>${duration(done?.p50)}</td><td>${duration(done?.p99)}</td></tr>`;
})}</tbody></table><p class="muted">Counts are over all the instances of each version; p50 and p99 over its completed ones among the latest ${DURATION_SAMPLE} completed.</p>`}`;
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
