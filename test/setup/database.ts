/**
 * Vitest global setup: one Postgres server for the whole run. `DATABASE_URL` when
 * set (CI points it at the machine's server); otherwise the repository's embedded
 * server in `.cairn/`, started on first use and reused by later runs. Each test file
 * then works in a schema of its own (see test/helpers/db.ts), so files run in
 * parallel without seeing each other's rows.
 */
import type { TestProject } from "vitest/node";
import { fileURLToPath } from "node:url";
import { ensureEmbeddedPostgres } from "../../runtime/store/embedded.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const server = await ensureEmbeddedPostgres({ dir: root, log: (l) => console.error(`[cairn] ${l}`) });
    url = server.url;
  }
  project.provide("databaseUrl", url);
}
