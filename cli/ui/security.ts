/**
 * Who may use the UI, and which requests may change something.
 *
 * - A token (`--token` / CAIRN_UI_TOKEN), required on any bind that is not a
 *   loopback address: every request carries it as `Authorization: Bearer <t>` or
 *   the cookie set when a browser first opens `/?token=<t>` (then redirected to a
 *   URL without it, so it stays out of the history and of Referer headers).
 * - Without a token (loopback only), the Host header must name a loopback address:
 *   a web page cannot reach the UI through DNS rebinding.
 * - Every POST carries the session's CSRF token (a hidden form field, an HMAC of the
 *   session cookie with a secret of this process), and is refused when its Origin
 *   is another site or the browser says it is cross-site (Sec-Fetch-Site).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const TOKEN_COOKIE = "cairn_ui_token";
export const SESSION_COOKIE = "cairn_ui_session";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "[::1]"]);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A cookie that is not ours and not URI-encoded: ignore it.
    }
  }
  return out;
}

function sameSecret(a: string, b: string): boolean {
  // Hashed first: equal lengths for timingSafeEqual, and no length leak.
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export type AuthResult = { ok: true } | { ok: false; status: number; message: string };

export class Guard {
  private readonly secret = randomBytes(32);

  constructor(private readonly token: string | null) {}

  get requiresToken(): boolean {
    return this.token !== null;
  }

  /** Whether the request may see anything at all. */
  authenticate(req: IncomingMessage, cookies: Map<string, string>, queryToken: string | null): AuthResult {
    if (this.token === null) {
      const host = hostName(req.headers.host);
      if (host === null || !isLoopback(host)) return { ok: false, status: 403, message: "this UI only answers requests addressed to a loopback host" };
      return { ok: true };
    }
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : null;
    for (const candidate of [bearer, cookies.get(TOKEN_COOKIE) ?? null, queryToken]) {
      if (candidate !== null && sameSecret(candidate, this.token)) return { ok: true };
    }
    return { ok: false, status: 401, message: "a token is required: open the URL cairn ui printed (…/?token=…) or send Authorization: Bearer <token>" };
  }

  newSession(): string {
    return randomBytes(18).toString("base64url");
  }

  csrfFor(session: string): string {
    return createHmac("sha256", this.secret).update(session).digest("base64url");
  }

  /** Whether a POST may act: same origin, and the session's CSRF token. */
  checkPost(req: IncomingMessage, session: string | null, csrf: string | null): AuthResult {
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") return { ok: false, status: 403, message: `cross-site request refused (Sec-Fetch-Site: ${site})` };
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== "null") {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== req.headers.host) return { ok: false, status: 403, message: "cross-origin request refused" };
    } else if (origin === "null") {
      return { ok: false, status: 403, message: "cross-origin request refused (Origin: null)" };
    }
    if (session === null || csrf === null || !sameSecret(csrf, this.csrfFor(session))) {
      return { ok: false, status: 403, message: "missing or invalid CSRF token: reload the page and try again" };
    }
    return { ok: true };
  }

  /** The token, for the cookie set from `?token=`. */
  cookieFor(): string | null {
    return this.token;
  }
}

/** The host name of a Host header (without the port; IPv6 in brackets kept). */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    return end < 0 ? null : header.slice(0, end + 1);
  }
  return header.split(":")[0]!.toLowerCase();
}
