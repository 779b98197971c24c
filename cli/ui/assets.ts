/**
 * The UI's stylesheet and its one small script, served from /assets/ (the
 * Content-Security-Policy allows no inline script or style). Kept here as strings
 * so they ship inside the CLI's bundle: nothing is fetched from elsewhere.
 */
export const CSS = `
:root { --fg:#1d2330; --muted:#667085; --line:#d9dee7; --bg:#f7f8fa; --accent:#2f5bd3; --ok:#1a7f37; --bad:#c62828; --warn:#9a6700; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header { display:flex; gap:18px; align-items:center; padding:10px 20px; background:#fff; border-bottom:1px solid var(--line); }
header .brand { font-weight:700; }
header a { color:var(--fg); text-decoration:none; } header a.on { color:var(--accent); font-weight:600; }
header .live { margin-left:auto; color:var(--muted); font-size:12px; }
main { padding:16px 20px; max-width:1400px; }
h1 { font-size:20px; margin:4px 0 12px; } h2 { font-size:16px; margin:22px 0 8px; }
a { color:var(--accent); }
table { border-collapse:collapse; background:#fff; width:100%; }
th, td { text-align:left; padding:5px 9px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase; }
code, pre, .mono { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12.5px; }
pre { background:#fff; border:1px solid var(--line); padding:8px 10px; overflow:auto; max-height:360px; margin:0; white-space:pre-wrap; word-break:break-word; }
.status { display:inline-block; padding:0 7px; border-radius:9px; font-size:12px; background:#e8ebf1; }
.status.completed { background:#dcf3e1; color:var(--ok); } .status.failed { background:#fde2e1; color:var(--bad); }
.status.cancelled { background:#eee; color:#555; } .status.running { background:#e2eafd; color:var(--accent); } .status.sleeping { background:#fff2cc; color:var(--warn); }
form.filters { display:flex; gap:8px; align-items:end; flex-wrap:wrap; margin-bottom:12px; }
label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
input, select, textarea, button { font:inherit; padding:4px 7px; border:1px solid var(--line); border-radius:4px; background:#fff; }
button { cursor:pointer; background:var(--accent); color:#fff; border-color:var(--accent); }
button.danger { background:var(--bad); border-color:var(--bad); }
.grid { display:grid; grid-template-columns: minmax(300px, 1fr) minmax(300px, 1fr); gap:16px; }
.panel { background:#fff; border:1px solid var(--line); border-radius:6px; padding:10px 12px; }
.actions { display:flex; gap:14px; flex-wrap:wrap; align-items:end; }
.actions form { display:flex; gap:6px; align-items:end; }
.notice { background:#e7f5ea; border:1px solid #b7e0c0; padding:6px 10px; border-radius:4px; margin-bottom:10px; }
.problem { background:#fdecea; border:1px solid #f5c2c0; padding:6px 10px; border-radius:4px; margin-bottom:10px; }
.error-name { color:var(--bad); font-weight:600; }
.muted { color:var(--muted); }
.pager { margin-top:10px; display:flex; gap:12px; }
.graph-wrap { overflow:auto; background:#fff; border:1px solid var(--line); border-radius:6px; padding:6px; max-height:640px; }
svg.graph text { font:12px ui-monospace, SFMono-Regular, Menlo, monospace; fill:#1d2330; }
svg.graph text.head { font-weight:700; fill:#4a5568; }
svg.graph text.at { font-weight:700; fill:#8a4b00; text-decoration:underline; }
svg.graph .node.current.failed text.at { fill:#c62828; }
svg.graph .node rect { fill:#fff; stroke:#98a2b3; stroke-width:1.2; }
svg.graph .node.return rect { fill:#f2fbf4; } svg.graph .node.throw rect { fill:#fff5f5; }
svg.graph .node.visited rect { fill:#e8efff; stroke:#2f5bd3; stroke-width:1.6; }
svg.graph .node.current rect { fill:#fff4c2; stroke:#b7791f; stroke-width:3; }
svg.graph .node.current.failed rect { fill:#fde2e1; stroke:#c62828; }
svg.graph .edge path { fill:none; stroke:#98a2b3; stroke-width:1.3; }
svg.graph .edge.catch path { stroke-dasharray:5 4; }
svg.graph .edge text { fill:#667085; font-size:11px; }
svg.graph marker path { fill:#98a2b3; }
tr.bad td { background:#fff7f7; }
table.timeline td:first-child { white-space:nowrap; }
pre.stack { font-size:11.5px; color:#4a5568; margin-top:4px; }
details.attempt-stack summary { cursor:pointer; color:var(--muted); font-size:12px; }
`;

/**
 * Live updates: one EventSource on /events; on each "change" the page's main
 * element is fetched again and swapped in (not while a form in it is being
 * edited). `data-live-updates` on <body> counts the swaps (tests read it). A
 * `<details>` the reader opened (a stack, the stored error) stays open across a
 * swap: the new page's details at the same positions are opened first.
 */
export const JS = `
(() => {
  const live = document.querySelector("header .live");
  let pending = false, busy = false, swaps = 0;
  const editing = () => { const a = document.activeElement; return !!(a && a.closest("main form") && a.matches("input, textarea, select")); };
  async function refresh() {
    if (busy) { pending = true; return; }
    if (editing()) { pending = true; setTimeout(refresh, 1000); return; }
    busy = true; pending = false;
    try {
      const res = await fetch(location.href, { headers: { "X-Cairn-Partial": "1" }, credentials: "same-origin" });
      if (res.ok) {
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        const next = doc.querySelector("main"), cur = document.querySelector("main");
        const opened = cur ? [...cur.querySelectorAll("details")].map((d) => d.open) : [];
        if (next) next.querySelectorAll("details").forEach((d, i) => { if (opened[i]) d.open = true; });
        if (next && cur && next.innerHTML !== cur.innerHTML) { cur.replaceWith(next); document.body.dataset.liveUpdates = String(++swaps); }
      }
    } catch (e) { /* the next change tries again */ }
    busy = false;
    if (pending) refresh();
  }
  if (!window.EventSource) return;
  const es = new EventSource("/events");
  es.addEventListener("change", refresh);
  es.onopen = () => { if (live) live.textContent = "live"; };
  es.onerror = () => { if (live) live.textContent = "reconnecting…"; };
})();
`;
