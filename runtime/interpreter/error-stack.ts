/**
 * The stack of a thrown Error, as an ErrorValue keeps it (errors.ts STACK_KEY):
 * where an action failed, for the people reading the instance (`cairn status`,
 * `cairn ui`), never for the workflow, which cannot see it (error-boundary.ts).
 *
 * Only the frames are kept: V8's `stack` starts with `String(error)`, which would
 * repeat the message (up to the whole error's size limit) in every stored error.
 * Bounded, because it is stored with every failed attempt: a deep recursion's
 * stack, or frames of eval'd code, must not multiply the size of the history.
 */

/** At most this many frames are kept. */
export const MAX_STACK_LINES = 40;
/** At most this many bytes (UTF-8) of stack are kept, the truncation note included. */
export const MAX_STACK_BYTES = 8 * 1024;

/** Room left for the truncation note, which is at most about 100 bytes. */
const NOTE_ROOM = 160;

/** A V8 frame line: `    at fn (file:1:2)`, `    at file:1:2`, `    at async Promise.all (index 0)`. */
const FRAME = /^\s*at\s/;

/**
 * The frames of `stack` (a V8 `error.stack`), one a line without their
 * indentation, at most MAX_STACK_LINES lines and MAX_STACK_BYTES bytes; when
 * more were there, the last line says so and how big the whole was. Undefined
 * when it has no frames (`Error.stackTraceLimit = 0`, a stack set to other text).
 */
export function boundedStack(stack: string): string | undefined {
  const all = stack.split("\n");
  const first = all.findIndex((line) => FRAME.test(line));
  if (first < 0) return undefined;
  const frames = all.slice(first).map((line) => line.trim()).filter((line) => line !== "");
  const total = Buffer.byteLength(frames.join("\n"));
  if (frames.length <= MAX_STACK_LINES && total <= MAX_STACK_BYTES) return frames.join("\n");
  const kept: string[] = [];
  let bytes = 0;
  for (const line of frames) {
    if (kept.length === MAX_STACK_LINES - 1) break;
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > MAX_STACK_BYTES - NOTE_ROOM) {
      // One frame longer than the whole budget (a frame of eval'd code): its start.
      if (kept.length === 0) kept.push(cutToBytes(line, MAX_STACK_BYTES - NOTE_ROOM));
      break;
    }
    kept.push(line);
    bytes += size;
  }
  kept.push(`… [stack truncated: ${frames.length} lines, ${total} bytes; at most ${MAX_STACK_LINES} lines and ${MAX_STACK_BYTES} bytes are kept]`);
  return kept.join("\n");
}

/** A start of `s` of at most `max` UTF-8 bytes, not ending in half a surrogate pair. */
function cutToBytes(s: string, max: number): string {
  let out = s.slice(0, max);
  while (Buffer.byteLength(out) > max) out = out.slice(0, Math.floor(out.length * 0.9));
  return /[\ud800-\udbff]$/.test(out) ? out.slice(0, -1) : out;
}

/**
 * The error a workflow failed with, as a local Error whose `stack` is the stored
 * one (where the action threw, in whichever process ran it), for the `cause` of
 * the error `result()` or `runLocal` throws: Node prints it under the caller's own
 * stack. As Error's options (no `cause` at all when no stack was stored).
 */
export function remoteCause(name: string, message: string, frames: string | undefined): { cause: Error } | undefined {
  if (frames === undefined) return undefined;
  const cause = new Error(message);
  Object.defineProperty(cause, "name", { value: name, enumerable: false, writable: true, configurable: true });
  cause.stack = `${name}: ${message}\n${frames.split("\n").map((f) => `    ${f}`).join("\n")}`;
  return { cause };
}
