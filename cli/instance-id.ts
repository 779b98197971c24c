import { UsageError } from "./exit-codes.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `id` when it can name an instance (a UUID, as `cairn start` prints); else a usage error, before any database is opened. */
export function instanceId(id: string): string {
  if (!UUID.test(id)) throw new UsageError(`not a workflow instance id: ${id}`);
  return id;
}
