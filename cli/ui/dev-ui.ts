/** The web UI inside `cairn dev`: on 127.0.0.1, port 4400 (or any free one when it is taken). */
import { openDatabase } from "../database.ts";
import type { Output } from "../output.ts";
import { startUiServer } from "./server.ts";

export async function startDevUi(cwd: string, out: Output, port: number): Promise<(() => Promise<void>) | null> {
  try {
    const { db, schema } = await openDatabase(cwd, out);
    const token = process.env.CAIRN_UI_TOKEN || null;
    const start = (p: number) => startUiServer({ db, schema, host: "127.0.0.1", port: p, token });
    let server;
    try {
      server = await start(port);
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE" || port === 0) {
        await db.close();
        throw error;
      }
      server = await start(0);
    }
    out.stderr(`cairn: web UI at ${server.url}\n`);
    return async () => {
      await server.close();
      await db.close();
    };
  } catch (error) {
    out.stderr(`cairn: the web UI did not start (${(error as Error).message}); the worker runs without it\n`);
    return null;
  }
}
