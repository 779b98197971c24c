import { Client } from "../../runtime/durable/client.ts";
import { UnknownWorkflowError } from "../../runtime/durable/engine.ts";
import type { InstanceStatusReport } from "../../runtime/durable/status.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { instanceId } from "../instance-id.ts";
import type { Output } from "../output.ts";
import type { Json } from "../../ir-schema/index.ts";
import { isSystemAction } from "../../ir-schema/vocabulary.ts";
import { STACK_KEY, errorStack } from "../../runtime/interpreter/errors.ts";

/**
 * `cairn status [<id>] [--json] [--limit n]`: without an id, the most recent
 * instances; with one, where it is in its program, its tasks (and why a waiting
 * task is not running) and its history.
 */
export async function status(id: string | undefined, options: { json?: boolean; limit?: string }, cwd: string, out: Output): Promise<ExitCode> {
  if (id !== undefined) instanceId(id);
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    if (id === undefined) {
      const limit = Number(options.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, not ${options.limit}`);
      const rows = await client.list(limit);
      if (options.json) {
        out.stdout(JSON.stringify(rows.map((r) => ({ id: r.id, workflow: r.workflow, status: r.status, createdAt: new Date(r.created_at).toISOString() }))) + "\n");
      } else if (rows.length === 0) {
        out.stdout("no workflow instances yet\n");
      } else {
        for (const r of rows) out.stdout(`${r.id}  ${r.status.padEnd(9)}  ${new Date(r.created_at).toISOString()}  ${r.workflow}\n`);
      }
      return ExitCode.ok;
    }
    let report: InstanceStatusReport;
    try {
      report = await client.status(id);
    } catch (error) {
      if (error instanceof UnknownWorkflowError) throw new UsageError(error.message);
      throw error;
    }
    out.stdout(options.json ? JSON.stringify(report) + "\n" : render(report));
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}

/** The error as stored, then its stack (an action's frames) one frame a line under it, not inside the JSON. */
function errorLines(error: Json): string[] {
  const stack = errorStack(error);
  if (stack === undefined) return [`  error ${JSON.stringify(error)}`];
  const rest = Object.fromEntries(Object.entries(error as Record<string, Json>).filter(([key]) => key !== STACK_KEY));
  return [`  error ${JSON.stringify(rest)}`, ...stack.split("\n").map((frame) => `    ${frame}`)];
}

function render(r: InstanceStatusReport): string {
  const lines = [`${r.id}  ${r.workflow}  ${r.status}`, `  definition ${r.hash}`];
  if (r.at && (r.status === "running" || r.status === "sleeping")) lines.push(`  at ${r.at}`);
  if (r.wakeAt) lines.push(`  wakes at ${r.wakeAt}`);
  if (r.status === "completed") lines.push(`  result ${JSON.stringify(r.result)}`);
  if (r.error) lines.push(...errorLines(r.error));
  if (r.parent) lines.push(`  parent ${r.parent.id} (call ${r.parent.callId})`);
  if (r.children.length) {
    lines.push("  children:");
    for (const c of r.children) lines.push(`    ${c.callId.padEnd(10)} ${c.id}  ${c.workflow}  ${c.status}`);
  }
  const published = Object.entries(r.published);
  if (published.length) {
    lines.push("  published:");
    for (const [key, value] of published) lines.push(`    ${key} = ${JSON.stringify(value)}`);
  }
  if (r.messages.length) {
    lines.push("  messages:");
    for (const m of r.messages) lines.push(`    ${m.sentAt}  ${m.topic}  ${JSON.stringify(m.message)}  ${m.receivedBy ? `received by ${m.receivedBy}` : "not received yet"}`);
  }
  if (r.tasks.length) {
    lines.push("  tasks:");
    for (const t of r.tasks) {
      // A receive or a child is shown by the word the source uses, not its system action (%receive).
      const what = isSystemAction(t.action) ? t.action.slice(1) : t.action;
      const attempt = isSystemAction(t.action) ? "" : ` attempt ${t.attempt}`;
      lines.push(`    ${t.callId.padEnd(10)} ${what.padEnd(20)} ${t.status.padEnd(9)}${attempt}${t.reason ? `  (${t.reason})` : ""}`);
    }
  }
  lines.push("  history:");
  for (const h of r.history) {
    lines.push(`    ${h.at}  ${h.kind}${h.callId ? ` ${h.callId}` : ""}${h.data === null ? "" : `  ${JSON.stringify(h.data)}`}`);
  }
  return lines.join("\n") + "\n";
}
