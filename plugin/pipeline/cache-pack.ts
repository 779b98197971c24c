import { createHash } from "node:crypto";
import type { ModuleLayout } from "../analyze/module-layout.ts";
import type { ActionLocation, Diagnostic } from "../types.ts";
import type { ScheduleEntry } from "../../ir-schema/index.ts";
import { artifactText } from "../../ir-schema/hash.ts";
import type { BuiltWorkflow } from "./built-workflow.ts";

/** Bumped when the layout below changes; a pack of another format is ignored. */
const PACK_FORMAT = 7;

/**
 * One module's compile as kept on disk: what it depended on, and what it
 * produced. Not the rewritten module: it is made again from the layout and the
 * workflows (a few hundredths of a millisecond), where storing it would double
 * an entry's size, since it embeds every workflow's IR once more.
 */
export interface CachedCompile {
  /** Digest of the module's text. */
  source: string;
  /** Project root the compile was relative to (artifact `source`, every `loc`). */
  root: string;
  /** Every other file the compile read, with the digest of its text then (null: it did not exist). */
  reads: Array<[file: string, digest: string | null]>;
  /** Every import the compile resolved, with what it resolved to then. */
  resolutions: Array<[specifier: string, from: string, resolved: string | null]>;
  /** The module's workflows, in compile order. */
  workflows: BuiltWorkflow[];
  /** The actions they call. */
  actions: ActionLocation[];
  /** The schedules the module exports (manifest entries: plain data). */
  schedules?: ScheduleEntry[];
  layout: ModuleLayout | null;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** One module's compile in a pack, keyed by the module's absolute path. */
export interface PackEntry {
  file: string;
  compile: CachedCompile;
}

type WorkflowHeader = Omit<BuiltWorkflow, "canonical" | "text">;

/** An entry as the pack's header line holds it: everything but the workflows' IR, which follows the header raw. */
interface EntryHeader {
  file: string;
  compile: Omit<CachedCompile, "workflows"> & { workflows: WorkflowHeader[] };
  /** Lengths in UTF-8 bytes of each workflow's `canonical` JSON (its artifact `text` is made from it). */
  lengths: number[];
}

/** The second line of a pack (after its digest). */
interface PackHeader {
  format: number;
  fingerprint: string;
  entries: EntryHeader[];
}

/**
 * A pack: a digest line, a JSON header line, then every workflow's IR as it is,
 * in header order (inside JSON it would be escaped on every write and unescaped
 * on every read, which cost more than reading it). The digest covers everything
 * after it, so a damaged pack is ignored, never a wrong text in a bundle.
 *
 * Returned as the pieces of the file, in order, for the caller to write one after
 * another: a build's pack is a megabyte or more, and joining it into one string
 * (then encoding that once to hash it and once to write it) cost several times
 * what hashing and writing the pieces does (large strings get fresh memory).
 */
export function encodePack(fingerprint: string, entries: Iterable<PackEntry>): string[] {
  const header: PackHeader = { format: PACK_FORMAT, fingerprint, entries: [] };
  const texts: string[] = [];
  for (const { file, compile } of entries) {
    header.entries.push({
      file,
      compile: { ...compile, workflows: compile.workflows.map((w) => ({ fileName: w.fileName, manifest: w.manifest })) },
      lengths: compile.workflows.map((w) => Buffer.byteLength(w.canonical)),
    });
    for (const w of compile.workflows) texts.push(w.canonical);
  }
  const headerLine = `${JSON.stringify(header)}\n`;
  const hash = createHash("sha1").update(headerLine);
  for (const text of texts) hash.update(text);
  return [`${hash.digest("base64")}\n`, headerLine, ...texts];
}

/** The entries of a pack written by the compiler `fingerprint`; null for a damaged or foreign pack, or another format. */
export function decodePack(bytes: Uint8Array, fingerprint: string): PackEntry[] | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = buffer.indexOf(0x0a);
  const second = buffer.indexOf(0x0a, first + 1);
  if (first < 0 || second < 0) return null;
  if (buffer.toString("latin1", 0, first) !== digest(buffer.subarray(first + 1))) return null;
  let header: unknown;
  try {
    header = JSON.parse(buffer.toString("utf8", first + 1, second));
  } catch {
    return null;
  }
  if (!isPackHeader(header) || header.format !== PACK_FORMAT || header.fingerprint !== fingerprint) return null;
  let at = second + 1;
  if (header.entries.reduce((sum, e) => e.lengths.reduce((s, n) => s + n, sum), at) !== buffer.length) return null;
  // Each text decoded on its own: never the whole pack as one string.
  return header.entries.map(({ file, compile, lengths }) => ({
    file,
    compile: {
      ...compile,
      workflows: compile.workflows.map((w, i) => {
        const canonical = buffer.toString("utf8", at, (at += lengths[i]));
        return { ...w, canonical, text: artifactText(canonical) };
      }),
    },
  }));
}

/** The content digest the cache uses everywhere: of module texts, of the files a compile read, of a pack. */
export function digest(data: string | Uint8Array): string {
  return createHash("sha1").update(data).digest("base64");
}

function isPackHeader(value: unknown): value is PackHeader {
  if (typeof value !== "object" || value === null) return false;
  const { format, fingerprint, entries } = value as Partial<PackHeader>;
  return typeof format === "number" && typeof fingerprint === "string" && Array.isArray(entries) && entries.every(isEntryHeader);
}

function isEntryHeader(value: unknown): value is EntryHeader {
  if (typeof value !== "object" || value === null) return false;
  const { file, compile: c, lengths } = value as Partial<EntryHeader>;
  return (
    typeof file === "string" &&
    typeof c === "object" && c !== null &&
    typeof c.source === "string" && typeof c.root === "string" &&
    Array.isArray(c.reads) && Array.isArray(c.resolutions) &&
    Array.isArray(c.workflows) && c.workflows.every(isWorkflowHeader) &&
    Array.isArray(c.actions) && c.actions.every(isActionLocation) &&
    (c.layout === null || typeof c.layout === "object") &&
    Array.isArray(c.errors) && Array.isArray(c.warnings) &&
    Array.isArray(lengths) && lengths.length === c.workflows.length &&
    lengths.every((n) => Number.isSafeInteger(n) && n >= 0)
  );
}

function isActionLocation(a: unknown): a is ActionLocation {
  if (typeof a !== "object" || a === null) return false;
  const { name, file, exportName } = a as Partial<ActionLocation>;
  return typeof name === "string" && typeof file === "string" && typeof exportName === "string";
}

function isWorkflowHeader(w: unknown): w is WorkflowHeader {
  if (typeof w !== "object" || w === null) return false;
  const { fileName, manifest: m } = w as Partial<BuiltWorkflow>;
  const strings = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === "string");
  return (
    typeof fileName === "string" &&
    typeof m === "object" && m !== null &&
    typeof m.name === "string" && typeof m.hash === "string" && typeof m.file === "string" && typeof m.source === "string" &&
    strings(m.params) && strings(m.actions)
  );
}
