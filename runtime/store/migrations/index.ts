/**
 * The migrations, in the order they apply: one numbered module per migration,
 * each the SQL it runs (`:SCHEMA` stands for the quoted schema name). Never edit
 * one that has shipped; add the next number. Modules rather than .sql files read
 * at run time, so the runtime still finds them when an application bundles it.
 */
import init from "./0001_init.ts";
import queuePlans from "./0002_queue_plans.ts";
import retention from "./0003_retention.ts";
import messagesChildren from "./0004_messages_children.ts";
import schedules from "./0005_schedules.ts";
import instanceList from "./0006_instance_list.ts";
import traceContext from "./0007_trace.ts";

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: "init", sql: init },
  { id: 2, name: "queue_plans", sql: queuePlans },
  { id: 3, name: "retention", sql: retention },
  { id: 4, name: "messages_children", sql: messagesChildren },
  { id: 5, name: "schedules", sql: schedules },
  { id: 6, name: "instance_list", sql: instanceList },
  { id: 7, name: "trace", sql: traceContext },
];
