/**
 * `cairn ui`'s HTTP server: node:http, a small router, server-rendered pages. Every
 * request passes the Guard (security.ts) first; every response carries a strict
 * Content-Security-Policy (scripts and styles only from /assets/, no framing).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "../../runtime/durable/client.ts";
import type { Db } from "../../runtime/store/db.ts";
import { cancelInstance, MAX_FORM_BYTES, pauseOrResume, rerun, sendMessage } from "./actions.ts";
import { CSS, JS } from "./assets.ts";
import { NotFound, type Action, type Ctx, type PageResult } from "./context.ts";
import { uiQueries } from "./data.ts";
import { html } from "./html.ts";
import { page } from "./layout.ts";
import { LiveHub } from "./live.ts";
import { instancePage } from "./pages/instance.ts";
import { instancesPage } from "./pages/instances.ts";
import { schedulesPage, workersPage } from "./pages/schedules.ts";
import { definitionPage, workflowsPage } from "./pages/workflows.ts";
import { Guard, parseCookies, SESSION_COOKIE, TOKEN_COOKIE } from "./security.ts";

export interface UiServerOptions {
  db: Db;
  schema: string;
  host: string;
  port: number;
  token: string | null;
}

export interface UiServer {
  /** The address to open (with `?token=` when a token is required). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  // same-origin, not no-referrer: with no-referrer, browsers send `Origin: null` on form POSTs.
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
};

const UUID = "([0-9a-fA-F-]{36})";
type Handler = (ctx: Ctx, params: string[]) => Promise<PageResult>;
type PostHandler = (ctx: Ctx, params: string[], form: URLSearchParams) => Promise<Action | { problem: string }>;

const GETS: Array<[RegExp, Handler]> = [
  [/^\/instances$/, (ctx) => instancesPage(ctx)],
  [new RegExp(`^/instances/${UUID}$`), (ctx, [id]) => instancePage(ctx, id!)],
  [/^\/workflows$/, (ctx) => workflowsPage(ctx)],
  [/^\/workflows\/([0-9a-zA-Z_.:-]{1,200})$/, (ctx, [hash]) => definitionPage(ctx, hash!)],
  [/^\/schedules$/, (ctx) => schedulesPage(ctx)],
  [/^\/workers$/, (ctx) => workersPage(ctx)],
];

const POSTS: Array<[RegExp, PostHandler]> = [
  [new RegExp(`^/instances/${UUID}/cancel$`), (ctx, [id], form) => cancelInstance(ctx, id!, form)],
  [new RegExp(`^/instances/${UUID}/send$`), (ctx, [id], form) => sendMessage(ctx, id!, form)],
  [new RegExp(`^/instances/${UUID}/rerun$`), (ctx, [id]) => rerun(ctx, id!)],
  [/^\/schedules\/([^/]{1,300})\/(pause|resume)$/, (ctx, [name, verb]) => pauseOrResume(ctx, decodePart(name!), verb === "pause")],
];

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const client = new Client(options.db, { schema: options.schema }, false);
  const ui = uiQueries(options.schema);
  const guard = new Guard(options.token);
  const live = new LiveHub(options.db, client.engine);
  await live.start();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://ui.invalid");
    const cookies = parseCookies(req.headers.cookie);
    const queryToken = url.searchParams.get("token");
    const auth = guard.authenticate(req, cookies, queryToken);
    if (!auth.ok) return text(res, auth.status, auth.message);
    const setCookies: string[] = [];
    if (queryToken !== null && guard.requiresToken) {
      // Remembered in a cookie; the token leaves the address bar (and the history).
      url.searchParams.delete("token");
      setCookies.push(cookie(TOKEN_COOKIE, guard.cookieFor()!));
      if (req.method === "GET") return redirect(res, url.pathname + url.search, setCookies);
    }
    let session = cookies.get(SESSION_COOKIE) ?? null;
    if (session === null || !/^[A-Za-z0-9_-]{20,64}$/.test(session)) {
      session = guard.newSession();
      setCookies.push(cookie(SESSION_COOKIE, session));
    }
    if (setCookies.length) res.setHeader("Set-Cookie", setCookies);
    const ctx: Ctx = { client, ui, url, csrf: guard.csrfFor(session) };
    const path = url.pathname;

    if (req.method === "GET" || req.method === "HEAD") {
      if (path === "/") return redirect(res, "/instances");
      if (path === "/assets/ui.css") return asset(res, "text/css; charset=utf-8", CSS);
      if (path === "/assets/ui.js") return asset(res, "text/javascript; charset=utf-8", JS);
      if (path === "/events") return live.attach(res);
      for (const [re, fn] of GETS) {
        const m = re.exec(path);
        if (m) return send(res, await fn(ctx, m.slice(1)));
      }
      return notFound(res, `no page ${path}`);
    }
    if (req.method !== "POST") return text(res, 405, "only GET and POST");
    const route = POSTS.find(([re]) => re.test(path));
    if (!route) return notFound(res, `nothing to POST to at ${path}`);
    if (!/^application\/x-www-form-urlencoded\b/.test(req.headers["content-type"] ?? "")) return text(res, 415, "POST a form (application/x-www-form-urlencoded)");
    const body = await readBody(req);
    if (body === null) return text(res, 413, "form too large");
    const form = new URLSearchParams(body);
    const check = guard.checkPost(req, cookies.get(SESSION_COOKIE) ?? null, form.get("_csrf"));
    if (!check.ok) return text(res, check.status, check.message);
    const params = route[0].exec(path)!.slice(1);
    const result = await route[1](ctx, params, form);
    if ("redirect" in result) return redirect(res, result.redirect);
    if ("problem" in result) return send(res, await instancePage(ctx, params[0]!, result.problem));
    return text(res, result.status, result.message);
  };

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(HEADERS)) res.setHeader(k, v);
    handle(req, res).catch((error: unknown) => {
      if (error instanceof NotFound) return notFound(res, error.message);
      if (res.headersSent) return res.end();
      const message = error instanceof Error ? error.message : String(error);
      send(res, { status: 500, body: page("Error", "", html`<h1>Something went wrong</h1><pre>${message}</pre>`) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = options.host.includes(":") ? `[${options.host}]` : options.host;
  const base = `http://${hostPart}:${port}/`;
  return {
    url: options.token ? `${base}?token=${encodeURIComponent(options.token)}` : base,
    port,
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}

/** A path segment decoded; a malformed escape stays as written (and then names nothing). */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function cookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`;
}

function send(res: ServerResponse, result: PageResult): void {
  res.writeHead(result.status ?? 200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(result.body.text);
}

function asset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { "Content-Type": type, "Cache-Control": "max-age=300" });
  res.end(body);
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(`${message}\n`);
}

function notFound(res: ServerResponse, message: string): void {
  res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
  res.end(page("Not found", "", html`<h1>Not found</h1><p>${message}</p>`).text);
}

function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  if (cookies.length) res.setHeader("Set-Cookie", cookies);
  res.writeHead(303, { Location: location });
  res.end();
}

/** The request body as text, or null past MAX_FORM_BYTES. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

