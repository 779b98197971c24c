/** The page shell: header and navigation, a notice, the main element the live script swaps. */
import { html, type Html } from "./html.ts";

const NAV: Array<[string, string]> = [
  ["/instances", "Instances"],
  ["/workflows", "Workflows"],
  ["/schedules", "Schedules"],
  ["/workers", "Workers"],
];

/** What a finished POST says on the page it redirects to (codes, so no text comes from the URL). */
export const NOTICES: Record<string, string> = {
  cancelled: "Cancellation requested.",
  "already-finished": "The instance had already finished: nothing to cancel.",
  sent: "Message sent.",
  started: "Started a new run with the same input.",
  paused: "Schedule paused.",
  resumed: "Schedule resumed.",
};

export function page(title: string, section: string, body: Html, notice?: string | null): Html {
  const text = notice ? NOTICES[notice] : undefined;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · cairn</title><link rel="stylesheet" href="/assets/ui.css"></head>
<body><header><span class="brand">cairn</span>${NAV.map(([href, label]) => html`<a href="${href}" class="${href === section ? "on" : ""}">${label}</a>`)}<span class="live">…</span></header>
<main>${text ? html`<div class="notice" role="status">${text}</div>` : ""}${body}</main>
<script src="/assets/ui.js" defer></script></body></html>`;
}

export function statusBadge(status: string): Html {
  return html`<span class="status ${status}">${status}</span>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
