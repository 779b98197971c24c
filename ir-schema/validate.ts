import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "@sinclair/typebox";
import { ArtifactSchema } from "./schema.ts";
import type { Artifact } from "./types.ts";
import { hashArtifact } from "./hash.ts";

export interface IrError {
  /** JSON pointer into the artifact, e.g. `/program/blocks/2/instrs/0/value`. */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; artifact: Artifact } | { ok: false; errors: IrError[] };

const defs = (ArtifactSchema as unknown as { $defs: Record<string, TSchema> }).$defs;
const refs = Object.values(defs);

/**
 * TypeBox reports a failed union as "Expected union value", which tells a user
 * nothing. IR unions are discriminated by `kind`, so we pick the member the value
 * claims to be and report that member's errors instead.
 */
function narrow(schema: TSchema, value: unknown): TSchema {
  const s = schema as { $ref?: string; anyOf?: TSchema[] };
  if (s.$ref) return narrow(defs[s.$ref], value);
  if (!s.anyOf || typeof value !== "object" || value === null) return schema;
  const kind = (value as { kind?: unknown }).kind;
  for (const member of s.anyOf) {
    const m = narrow(member, value) as { properties?: { kind?: { const?: unknown } } };
    if (m.properties?.kind?.const === kind) return m as TSchema;
  }
  return schema;
}

function explain(schema: TSchema, value: unknown, path: string, out: IrError[]): void {
  const s = narrow(schema, value) as TSchema & {
    anyOf?: TSchema[]; properties?: Record<string, TSchema>; items?: TSchema; required?: string[];
  };
  if (s.anyOf) {
    const consts = s.anyOf.map((m) => (m as { const?: unknown }).const);
    if (consts.every((c) => c !== undefined)) {
      out.push({ path, message: `expected one of ${consts.map((c) => JSON.stringify(c)).join(", ")}, got ${JSON.stringify(value)}` });
      return;
    }
    const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
    out.push({
      path,
      message: kind === undefined ? "expected an IR node with a `kind`" : `unknown node kind ${JSON.stringify(kind)}`,
    });
    return;
  }
  if (s.properties && typeof value === "object" && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    let found = false;
    for (const [key, sub] of Object.entries(s.properties)) {
      if (!(key in obj)) continue;
      if (!Value.Check(sub, refs, obj[key])) {
        explain(sub, obj[key], `${path}/${key}`, out);
        found = true;
      }
    }
    if (found) return;
  }
  if (s.items && Array.isArray(value)) {
    let found = false;
    value.forEach((item, i) => {
      if (!Value.Check(s.items as TSchema, refs, item)) {
        explain(s.items as TSchema, item, `${path}/${i}`, out);
        found = true;
      }
    });
    if (found) return;
  }
  const first = Value.Errors(s, refs, value).First();
  out.push({ path: path + (first?.path ?? ""), message: first?.message ?? "invalid value" });
}

/**
 * Checks shape (schema), structure (block references) and integrity (hash). The
 * hash check can be skipped by a producer that has just sealed the artifact.
 */
export function validateArtifact(value: unknown, options: { hash?: boolean } = {}): ValidationResult {
  if (!Value.Check(ArtifactSchema, value)) {
    const errors: IrError[] = [];
    explain(ArtifactSchema, value, "", errors);
    return { ok: false, errors: errors.slice(0, 20) };
  }
  const artifact = value as Artifact;
  const errors: IrError[] = [];
  const { blocks, entry } = artifact.program;
  const ref = (id: number, path: string) => {
    if (id >= blocks.length) errors.push({ path, message: `refers to block ${id}, but the program has ${blocks.length}` });
  };
  ref(entry, "/program/entry");
  blocks.forEach((b, i) => {
    const at = `/program/blocks/${i}`;
    if (b.id !== i) errors.push({ path: `${at}/id`, message: `block ${i} is labelled ${b.id}` });
    if (b.handler) ref(b.handler.block, `${at}/handler/block`);
    if (b.term.kind === "jump") ref(b.term.to, `${at}/term/to`);
    if (b.term.kind === "branch") {
      ref(b.term.then, `${at}/term/then`);
      ref(b.term.else, `${at}/term/else`);
    }
  });
  const expected = options.hash === false ? artifact.hash : hashArtifact(artifact);
  if (artifact.hash !== expected) {
    errors.push({ path: "/hash", message: `content hash mismatch: artifact says ${artifact.hash}, content is ${expected}` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, artifact };
}

export class InvalidArtifactError extends Error {
  override name = "InvalidArtifactError";
  constructor(readonly errors: IrError[], where = "artifact") {
    super(`invalid ${where}:\n${errors.map((e) => `  ${e.path || "/"}: ${e.message}`).join("\n")}`);
  }
}

/** Validates or throws an `InvalidArtifactError` listing what is wrong and where. */
export function assertArtifact(value: unknown, where?: string): Artifact {
  const r = validateArtifact(value);
  if (!r.ok) throw new InvalidArtifactError(r.errors, where);
  return r.artifact;
}
