import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "../runtime/store/db.ts";

/** How long a health request waits for the database before calling it unreachable. */
const DB_TIMEOUT_MS = 2_000;
/** Probes come every few seconds from each prober: one database round trip serves those within a second. */
const CHECK_TTL_MS = 1_000;

export type Phase = "starting" | "serving" | "stopping";

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `cairn worker --health-port`: two routes on node:http, for an orchestrator's probes.
 * - `GET /healthz` (liveness): 200 while the database answers, 503 when it does not
 *   (the worker itself keeps retrying; restarting it would not bring the database back,
 *   so use this to alert, or as liveness only with a generous threshold).
 * - `GET /readyz` (readiness): 200 once the worker is connected and serving, and
 *   while the database answers; 503 while it starts, after a stop was asked, or when
 *   the database is unreachable.
 * Each answers a small JSON object: `{"status": ..., "database": "ok" | <error>}`.
 */
export function startHealthServer(port: number, db: () => Db | null, phase: () => Phase): Promise<HealthServer> {
  let last: { at: number; result: Promise<string> } | null = null;
  const database = (): Promise<string> => {
    const conn = db();
    if (!conn) return Promise.resolve("not connected yet");
    if (last && Date.now() - last.at < CHECK_TTL_MS) return last.result;
    const result = pingDatabase(conn);
    last = { at: Date.now(), result };
    return result;
  };
  const server = createServer((req, res) => {
    const route = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" || (route !== "/healthz" && route !== "/readyz")) return reply(res, 404, { error: "not found: GET /healthz or /readyz" });
    void database().then((dbState) => {
      const ok = dbState === "ok";
      if (route === "/healthz") return reply(res, ok ? 200 : 503, { status: ok ? "ok" : "unhealthy", database: dbState });
      const status = !ok ? "unhealthy" : phase() === "serving" ? "ready" : phase();
      return reply(res, status === "ready" ? 200 : 503, { status, database: dbState });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

/** "ok", or why the database did not answer `SELECT 1` in time. */
async function pingDatabase(db: Db): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${DB_TIMEOUT_MS}ms`), DB_TIMEOUT_MS);
  });
  try {
    return await Promise.race([db.query("SELECT 1").then(() => "ok", (error: Error) => error.message || String(error)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function reply(res: ServerResponse, code: number, body: object): void {
  res.writeHead(code, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body) + "\n");
}
