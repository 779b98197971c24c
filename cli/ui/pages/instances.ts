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
    since: utc(p.get("since")),
    until: utc(p.get("until")),
  };
  const db = ctx.client.db;
  const [{ rows, more }, names] = await Promise.all([ctx.ui.instances(db, filter), ctx.ui.workflowNames(db)]);
  const last = rows.at(-1);
  const keep = { workflow: filter.workflow, status: filter.status, id: filter.id, since: p.get("since"), until: p.get("until") };
  const body = html`<h1>Instances</h1>
<form class="filters" method="get" action="/instances">
<label>workflow<select name="workflow"><option value="">any</option>${names.map((n) => html`<option ${n === filter.workflow ? "selected" : ""}>${n}</option>`)}</select></label>
<label>status<select name="status"><option value="">any</option>${STATUSES.map((s) => html`<option ${s === filter.status ? "selected" : ""}>${s}</option>`)}</select></label>
<label>created from (UTC)<input type="datetime-local" name="since" value="${filter.since === undefined ? "" : p.get("since")}" step="1"></label>
<label>to (UTC)<input type="datetime-local" name="until" value="${filter.until === undefined ? "" : p.get("until")}" step="1"></label>
<label>id<input name="id" value="${filter.id ?? ""}" placeholder="id or its start" size="38" spellcheck="false"></label>
<button type="submit">Filter</button> <a href="/instances">clear</a></form>
${rows.length === 0 ? html`<p class="muted">No instances${filter.workflow || filter.status || filter.id || filter.since || filter.until ? " match these filters" : " yet"}.</p>` : html`
<table class="instances"><thead><tr><th>id</th><th>workflow</th><th>status</th><th>created</th><th>took</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-id="${r.id}"><td class="mono"><a href="/instances/${r.id}">${r.id}</a></td><td>${r.workflow}</td><td>${statusBadge(r.status)}</td>
<td class="mono">${iso(r.created_at)}</td><td>${r.finished_at === null ? "" : duration(r.finished_at - r.created_at)}</td></tr>`)}
</tbody></table>`}
<div class="pager">${filter.before ? html`<a href="/instances${query(keep)}">« newest</a>` : ""}
${more && last ? html`<a rel="next" href="/instances${query({ ...keep, before: `${last.created_us}.${last.id}` })}">older »</a>` : ""}
<span class="muted">${rows.length} shown, ${PAGE_SIZE} a page</span></div>`;
  return { body: page("Instances", "/instances", body, p.get("notice")) };
}

/** A datetime-local value (no zone) read as UTC; undefined when empty or not a time. */
function utc(value: string | null): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
