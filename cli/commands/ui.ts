import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import type { Output } from "../output.ts";
import { stopRequested } from "../stop-requested.ts";
import { isLoopback } from "../ui/security.ts";
import { startUiServer, type UiServer } from "../ui/server.ts";

export interface UiOptions {
  port?: string;
  host?: string;
  token?: string;
}

/** Reads and checks the options: a bind that is not a loopback address needs a token. */
export function uiSettings(options: UiOptions): { port: number; host: string; token: string | null } {
  const port = Number(options.port ?? 4400);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${options.port}`);
  const host = options.host ?? "127.0.0.1";
  const token = options.token || process.env.CAIRN_UI_TOKEN || null;
  if (!isLoopback(host) && token === null) {
    throw new UsageError(`cairn ui on ${host} (not a loopback address) needs a token: pass --token <secret> or set CAIRN_UI_TOKEN`);
  }
  if (token !== null && token.length < 8) throw new UsageError("the UI token must have at least 8 characters");
  return { port, host, token };
}

/**
 * `cairn ui [--port 4400] [--host 127.0.0.1] [--token <t>]`: serves the web UI
 * (cli/ui/) on the database the other commands use, until SIGINT or SIGTERM.
 * Prints its URL on stdout (with the token, when one is required).
 */
export async function ui(options: UiOptions, cwd: string, out: Output): Promise<ExitCode> {
  const settings = uiSettings(options);
  const stop = stopRequested();
  const { db, schema } = await openDatabase(cwd, out);
  let server: UiServer;
  try {
    server = await startUiServer({ db, schema, ...settings });
  } catch (error) {
    await db.close();
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new UsageError(`cannot serve the UI on ${settings.host}:${settings.port}: ${(error as Error).message}`);
    }
    throw error;
  }
  out.stdout(`${server.url}\n`);
  out.stderr(`cairn: UI at ${server.url} (Ctrl-C to stop)\n`);
  await stop;
  await server.close();
  await db.close();
  return ExitCode.ok;
}
