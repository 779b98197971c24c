/** The UI's POSTs (already checked for the token, same origin and the CSRF token): each redirects to the page it acted on. */
import { MessageRejectedError } from "../../runtime/api/errors.ts";
import { UnknownScheduleError } from "../../runtime/durable/schedule-queries.ts";
import { decodeWire } from "../../runtime/payload.ts";
import type { Action, Ctx } from "./context.ts";

/** Too large to be a message typed into a form: refused before parsing. */
export const MAX_FORM_BYTES = 256 * 1024;

export async function cancelInstance(ctx: Ctx, id: string, form: URLSearchParams): Promise<Action> {
  const row = await ctx.client.engine.q.instance(ctx.client.db, id);
  if (!row) return { status: 404, message: `no instance ${id}` };
  const reason = form.get("reason")?.trim() || "cancelled from the UI";
  const cancelled = await ctx.client.engine.cancel(id, reason);
  return { redirect: `/instances/${id}?notice=${cancelled ? "cancelled" : "already-finished"}` };
}

/** Sends the form's message; a message that is not JSON or that the instance cannot take is shown on its page. */
export async function sendMessage(ctx: Ctx, id: string, form: URLSearchParams): Promise<Action | { problem: string }> {
  const topic = form.get("topic")?.trim() ?? "";
  if (!topic) return { problem: "A message needs a topic." };
  const text = form.get("message")?.trim() || "true";
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    return { problem: `The message is not JSON: ${(error as Error).message}` };
  }
  try {
    await ctx.client.send(id, topic, message);
  } catch (error) {
    if (error instanceof MessageRejectedError) return { problem: error.message };
    throw error;
  }
  return { redirect: `/instances/${id}?notice=sent` };
}

/** Starts the same version of the workflow again with the same input. */
export async function rerun(ctx: Ctx, id: string): Promise<Action> {
  const { engine, db } = ctx.client;
  const row = await engine.q.instance(db, id);
  if (!row) return { status: 404, message: `no instance ${id}` };
  const artifact = await engine.artifact(db, row.hash);
  const started = await engine.start(artifact, decodeWire(row.input));
  return { redirect: `/instances/${started.id}?notice=started` };
}

export async function pauseOrResume(ctx: Ctx, name: string, pause: boolean): Promise<Action> {
  try {
    if (pause) await ctx.client.pauseSchedule(name);
    else await ctx.client.resumeSchedule(name);
  } catch (error) {
    if (error instanceof UnknownScheduleError) return { status: 404, message: error.message };
    throw error;
  }
  return { redirect: `/schedules?notice=${pause ? "paused" : "resumed"}` };
}
