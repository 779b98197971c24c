/** GET /schedules (next tick, last instance, pause/resume) and GET /workers (alive, actions, load). */
import type { Ctx, PageResult } from "../context.ts";
import { duration, html, iso } from "../html.ts";
import { csrfField, page, statusBadge } from "../layout.ts";

/** As in status.ts: a worker silent this long no longer counts as live. */
const LIVE_WITHIN_MS = 60_000;

export async function schedulesPage(ctx: Ctx): Promise<PageResult> {
  const list = await ctx.client.schedules();
  const body = html`<h1>Schedules</h1>
${list.length === 0 ? html`<p class="muted">No schedules registered (a worker serving a scheduled workflow registers its schedules).</p>` : html`
<table class="schedules"><thead><tr><th>name</th><th>workflow</th><th>spec</th><th>next tick</th><th>last instance</th><th>state</th><th></th></tr></thead><tbody>
${list.map((s) => html`<tr data-schedule="${s.name}"><td class="mono">${s.name}</td><td>${s.workflow}</td><td class="mono">${s.spec}${s.timezone === "UTC" ? "" : ` (${s.timezone})`}</td>
<td class="mono">${s.state === "paused" ? "-" : s.nextTick ? iso(s.nextTick.getTime()) : "never"}</td>
<td>${s.lastInstance ? html`<a class="mono" href="/instances/${s.lastInstance}">${s.lastInstance.slice(0, 8)}</a> ${s.lastStatus ? statusBadge(s.lastStatus) : "(pruned)"}` : "-"}</td>
<td>${s.state}</td><td><form method="post" action="/schedules/${encodeURIComponent(s.name)}/${s.state === "paused" ? "resume" : "pause"}">${csrfField(ctx.csrf)}
<button type="submit">${s.state === "paused" ? "Resume" : "Pause"}</button></form></td></tr>`)}</tbody></table>`}`;
  return { body: page("Schedules", "/schedules", body, ctx.url.searchParams.get("notice")) };
}

export async function workersPage(ctx: Ctx): Promise<PageResult> {
  const rows = await ctx.ui.workers(ctx.client.db);
  const body = html`<h1>Workers</h1>
${rows.length === 0 ? html`<p class="muted">No worker has registered.</p>` : html`
<table class="workers"><thead><tr><th>id</th><th>state</th><th>last heartbeat</th><th>up</th><th>running now</th><th>actions</th><th>workflows</th></tr></thead><tbody>
${rows.map((w) => html`<tr><td class="mono">${w.id}</td><td>${statusBadge(w.now - w.heartbeat_at < LIVE_WITHIN_MS ? "alive" : "silent")}</td>
<td>${duration(w.now - w.heartbeat_at)} ago</td><td>${duration(w.now - w.started_at)}</td><td>${w.running}</td>
<td class="mono">${w.actions.filter((a) => !a.startsWith("%")).join(", ")}</td><td class="mono">${w.workflows.join(", ")}</td></tr>`)}</tbody></table>`}`;
  return { body: page("Workers", "/workers", body) };
}
