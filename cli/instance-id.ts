import { isInstanceId } from "../runtime/durable/instance-queries.ts";
import { UsageError } from "./exit-codes.ts";

/** `id` when it can name an instance (a UUID, as `cairn start` prints); else a usage error, before any database is opened. */
export function instanceId(id: string): string {
  if (!isInstanceId(id)) throw new UsageError(`not a workflow instance id: ${id}`);
  return id;
}
