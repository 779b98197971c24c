/**
 * An instance's history read as a timeline: one row per call (what it ran, its
 * attempts with their errors, how long it took, how it ended) and one per event of
 * the instance itself (started, slept, woke, finished), in the order they began.
 */
import type { Json } from "../../ir-schema/index.ts";
import type { InstanceStatusReport } from "../../runtime/durable/status.ts";
import { errorStack } from "../../runtime/interpreter/errors.ts";
import { duration, html, iso, type Html } from "./html.ts";

interface Attempt {
  n: number;
  start: number;
  end: number | null;
  error: string | null;
  /** The failed attempt's error value, for its stack. */
  failure: Json | null;
  note: string | null;
}

interface Row {
  at: number;
  call: string | null;
  what: string;
  attempts: Attempt[];
  end: number | null;
  outcome: string;
  bad: boolean;
  child: string | null;
}

type Data = Record<string, Json> | null;

/** `Name: message` of a stored error value. */
export function errorLine(error: Json | undefined): string {
  if (error && typeof error === "object" && !Array.isArray(error)) {
    const name = typeof error.name === "string" ? error.name : "Error";
    return typeof error.message === "string" && error.message ? `${name}: ${error.message}` : name;
  }
  return JSON.stringify(error ?? null);
}

/**
 * The stack a stored error value kept (errors.ts STACK_KEY), as text in a `<pre>`
 * (escaped like every value): open on the instance's error, a collapsed `<details>`
 * under an attempt, where the timeline has many.
 */
export function stackText(error: Json | undefined, how: "stack" | "collapsed"): Html {
  const stack = errorStack(error);
  if (stack === undefined) return html``;
  if (how === "stack") return html`<pre class="stack">${stack}</pre>`;
  return html`<details class="attempt-stack"><summary>stack</summary><pre class="stack">${stack}</pre></details>`;
}

function whatOf(d: Data): string {
  if (!d) return "call";
  if (typeof d.action === "string") return d.action;
  if (typeof d.receive === "string") return `receive "${d.receive}"${typeof d.timeoutMs === "number" ? ` (timeout ${duration(d.timeoutMs)})` : ""}`;
  if (typeof d.workflow === "string") return `child ${d.workflow}`;
  if (typeof d.send === "string") return `send "${d.send}" to ${String(d.to)}`;
  return "call";
}

export function timelineRows(report: InstanceStatusReport): Row[] {
  const rows: Row[] = [];
  const calls = new Map<string, Row>();
  const callRow = (id: string, at: number): Row => {
    let row = calls.get(id);
    if (!row) {
      row = { at, call: id, what: "call", attempts: [], end: null, outcome: "pending", bad: false, child: null };
      calls.set(id, row);
      rows.push(row);
    }
    return row;
  };
  for (const h of report.history) {
    const at = Date.parse(h.at);
    const d = (h.data && typeof h.data === "object" && !Array.isArray(h.data) ? h.data : null) as Data;
    if (h.callId !== null) {
      const row = callRow(h.callId, at);
      const last = row.attempts.at(-1);
      switch (h.kind) {
        case "dispatched":
          row.what = whatOf(d);
          break;
        case "attempt":
          row.attempts.push({ n: Number(d?.attempt ?? row.attempts.length + 1), start: at, end: null, error: null, failure: null, note: null });
          row.outcome = "running";
          break;
        case "retry":
          if (last) Object.assign(last, { end: at, error: errorLine(d?.error), failure: d?.error ?? null, note: `retry in ${duration(Number(d?.delayMs))}` });
          row.outcome = "retrying";
          break;
        case "lease-expired":
        case "released":
          if (last) Object.assign(last, { end: at, note: h.kind === "released" ? "released by a stopping worker" : "lease expired (worker lost)" });
          break;
        case "resolved": {
          const ok = d?.ok !== false;
          if (last && last.end === null) Object.assign(last, { end: at, error: ok ? null : errorLine(d?.error), failure: ok ? null : d?.error ?? null });
          row.end = at;
          row.outcome = ok ? "ok" : `failed: ${errorLine(d?.error)}`;
          row.bad = !ok;
          break;
        }
        case "child":
          row.child = typeof d?.id === "string" ? d.id : null;
          break;
      }
      continue;
    }
    if (h.kind === "waiting" || h.kind === "dispatched") continue;
    const what =
      h.kind === "sleeping" ? `sleep until ${iso(Date.parse(String(d?.until)))}`
      : h.kind === "woke" ? `woke${Number(d?.lateMs) > 0 ? ` (${duration(Number(d?.lateMs))} late)` : ""}`
      : h.kind === "failed" ? `failed: ${errorLine(d?.error)}`
      : h.kind === "cancelled" ? `cancelled: ${String(d?.reason ?? "")}`
      : h.kind;
    rows.push({ at, call: null, what, attempts: [], end: null, outcome: "", bad: h.kind === "failed", child: null });
  }
  for (const t of report.tasks) {
    const row = calls.get(t.callId);
    if (row && row.end === null && t.reason) row.outcome = t.reason;
  }
  return rows.sort((a, b) => a.at - b.at);
}

export function timeline(report: InstanceStatusReport): Html {
  const rows = timelineRows(report);
  const start = rows[0]?.at ?? 0;
  return html`<table class="timeline"><thead><tr><th>at</th><th>call</th><th>step</th><th>attempts</th><th>took</th><th>outcome</th></tr></thead><tbody>
${rows.map((r) => html`<tr class="${r.bad ? "bad" : ""}" data-call="${r.call ?? ""}"><td class="mono" title="${iso(r.at)}">+${duration(r.at - start) || "0 ms"}</td>
<td class="mono">${r.call ?? ""}</td><td class="mono">${r.what}${r.child ? html` → <a href="/instances/${r.child}">${r.child.slice(0, 8)}</a>` : ""}</td>
<td>${r.attempts.map((a) => html`<div>#${a.n}${a.end !== null ? ` ${duration(a.end - a.start)}` : " running"}${a.error ? html` <span class="error-name">${a.error}</span>` : ""}${a.note ? html` <span class="muted">${a.note}</span>` : ""}${stackText(a.failure ?? undefined, "collapsed")}</div>`)}</td>
<td>${r.end !== null ? duration(r.end - r.at) : ""}</td><td class="${r.bad ? "error-name" : ""}">${r.outcome}</td></tr>`)}
</tbody></table>`;
}
