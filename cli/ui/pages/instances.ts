/** GET /instances: newest first, filtered by workflow, status or id prefix, one keyset page at a time. */
import type { InstanceStatus } from "../../../runtime/durable/sql.ts";
import type { Ctx, PageResult } from "../context.ts";
import { PAGE_SIZE, STATUSES, type ListFilter } from "../data.ts";
import { html, iso, query, duration } from "../html.ts";
import { page, statusBadge } from "../layout.ts";

export async function instancesPage(ctx: Ctx): Promise<PageResult> {
  const p = ctx.url.searchParams;
  const status = p.get("status") ?? "";
  const filter: ListFilter = {
    workflow: p.get("workflow")?.trim() || undefined,
    status: STATUSES.includes(status as InstanceStatus) ? (status as InstanceStatus) : undefined,
    id: p.get("id")?.trim() || undefined,
    before: p.get("before") || undefined,
  };
  const db = ctx.client.db;
  const [{ rows, more }, names] = await Promise.all([ctx.ui.instances(db, filter), ctx.ui.workflowNames(db)]);
  const last = rows.at(-1);
  const keep = { workflow: filter.workflow, status: filter.status, id: filter.id };
  const body = html`<h1>Instances</h1>
<form class="filters" method="get" action="/instances">
<label>workflow<select name="workflow"><option value="">any</option>${names.map((n) => html`<option ${n === filter.workflow ? "selected" : ""}>${n}</option>`)}</select></label>
<label>status<select name="status"><option value="">any</option>${STATUSES.map((s) => html`<option ${s === filter.status ? "selected" : ""}>${s}</option>`)}</select></label>
<label>id<input name="id" value="${filter.id ?? ""}" placeholder="id or its start" size="38" spellcheck="false"></label>
<button type="submit">Filter</button> <a href="/instances">clear</a></form>
${rows.length === 0 ? html`<p class="muted">No instances${filter.workflow || filter.status || filter.id ? " match these filters" : " yet"}.</p>` : html`
<table class="instances"><thead><tr><th>id</th><th>workflow</th><th>status</th><th>created</th><th>took</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-id="${r.id}"><td class="mono"><a href="/instances/${r.id}">${r.id}</a></td><td>${r.workflow}</td><td>${statusBadge(r.status)}</td>
<td class="mono">${iso(r.created_at)}</td><td>${r.finished_at === null ? "" : duration(r.finished_at - r.created_at)}</td></tr>`)}
</tbody></table>`}
<div class="pager">${filter.before ? html`<a href="/instances${query(keep)}">« newest</a>` : ""}
${more && last ? html`<a rel="next" href="/instances${query({ ...keep, before: `${last.created_us}.${last.id}` })}">older »</a>` : ""}
<span class="muted">${rows.length} shown, ${PAGE_SIZE} a page</span></div>`;
  return { body: page("Instances", "/instances", body, p.get("notice")) };
}
