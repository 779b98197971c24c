/**
 * Live updates: GET /events is a server-sent event stream that says "change"
 * whenever the database may show something new. Two sources, both cheap:
 * - LISTEN on the engine's channels (done, tasks, cancel, timers, published): a
 *   change a worker or client announces is seen at once;
 * - while any browser listens, a poll every POLL_MS of the history table's
 *   sequence (one row, whatever the table's size): every step, attempt, message
 *   and cancellation appends history, so nothing is missed even when a
 *   notification is not sent (a task claimed in-process) or was lost.
 * Changes are coalesced (one event per DEBOUNCE_MS); the page's script then fetches
 * itself again and swaps its main element.
 */
import type { ServerResponse } from "node:http";
import type { Db } from "../../runtime/store/db.ts";
import type { Engine } from "../../runtime/durable/engine.ts";
import { quoteIdent } from "../../runtime/store/migrate.ts";

const DEBOUNCE_MS = 250;
const POLL_MS = 1_500;
const KEEPALIVE_MS = 15_000;

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly unlisten: Array<() => Promise<void>> = [];
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private lastSeq: string | null = null;
  private changes = 0;

  constructor(private readonly db: Db, private readonly engine: Engine) {}

  async start(): Promise<void> {
    const c = this.engine.q.channels;
    for (const channel of [c.done, c.tasks, c.cancel, c.timers, c.published]) {
      this.unlisten.push(await this.db.listen(channel, () => this.changed()));
    }
    this.keepalive = setInterval(() => this.write(": keepalive\n\n"), KEEPALIVE_MS);
    this.keepalive.unref();
  }

  /** Serves one event stream until the browser goes away. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" });
    res.write("retry: 2000\n\n");
    this.clients.add(res);
    res.on("close", () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopPolling();
    });
    if (!this.poller) this.poller = setInterval(() => void this.poll(), POLL_MS);
  }

  private async poll(): Promise<void> {
    try {
      const rows = await this.db.query<{ v: string | null }>(
        `SELECT last_value::text AS v FROM ${quoteIdent(this.engine.schema)}.history_seq_seq`,
      );
      const v = rows[0]?.v ?? null;
      if (this.lastSeq !== null && v !== this.lastSeq) this.changed();
      this.lastSeq = v;
    } catch {
      // The database is away: the browsers keep their pages, the next poll tries again.
    }
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    this.lastSeq = null;
  }

  private changed(): void {
    if (this.timer || this.clients.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write(`event: change\ndata: ${++this.changes}\n\n`);
    }, DEBOUNCE_MS);
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.keepalive) clearInterval(this.keepalive);
    this.stopPolling();
    for (const res of this.clients) res.end();
    this.clients.clear();
    // One after another: they share the driver's listening connection.
    for (const u of this.unlisten.splice(0)) await u().catch(() => {});
  }
}
