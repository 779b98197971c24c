import { parseDuration, type Duration } from "./duration.ts";

/**
 * Inside a compiled workflow this is a durable sleep (the compiler lowers it to a
 * `sleep` instruction); called as plain JavaScript it is an ordinary timer.
 */
export function sleep(duration: Duration): Promise<void> {
  const ms = parseDuration(duration, "sleep duration");
  return new Promise((resolve) => setTimeout(resolve, ms));
}
