/** What a page handler gets: the database through a Client, the UI's queries, the request's URL and CSRF token. */
import type { Client } from "../../runtime/durable/client.ts";
import type { Html } from "./html.ts";
import type { UiQueries } from "./data.ts";

export interface Ctx {
  client: Client;
  ui: UiQueries;
  url: URL;
  /** The session's CSRF token, for forms that POST. */
  csrf: string;
}

export interface PageResult {
  status?: number;
  body: Html;
}

export type Action = { redirect: string } | { status: number; message: string };

export class NotFound extends Error {}
