import { createHash } from "node:crypto";
import type { Artifact } from "./types.ts";

/**
 * Canonical JSON: object keys sorted, no whitespace. Two artifacts with the same
 * content therefore hash (and serialize) byte-identically, whatever order the
 * compiler happened to build their objects in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  // No prototype: a `__proto__` key in a literal is data and must be hashed as such.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** `sha256:<hex>` over the canonical JSON of everything but the `hash` field. */
export function hashArtifact(artifact: Omit<Artifact, "hash"> & { hash?: string }): string {
  const { hash: _ignored, ...content } = artifact;
  return "sha256:" + createHash("sha256").update(canonicalJson(content)).digest("hex");
}

/**
 * sealArtifact, plus the sealed artifact's canonical JSON from the same pass (a
 * bundler embeds it and writes it; canonicalizing a large artifact again would
 * double the cost of sealing). `hash` sorts between `errors` and `irVersion`,
 * which are always present and preceded only by arrays of strings, where an
 * unescaped `,"irVersion":` cannot occur.
 */
export function sealArtifactJson(artifact: Omit<Artifact, "hash">): { artifact: Artifact; json: string } {
  const { hash: _ignored, ...content } = artifact as Omit<Artifact, "hash"> & { hash?: string };
  const text = canonicalJson(content);
  const hash = "sha256:" + createHash("sha256").update(text).digest("hex");
  const sealed = { ...artifact, hash } as Artifact;
  const at = text.indexOf(',"irVersion":');
  const json = at < 0 ? canonicalJson(sealed) : `${text.slice(0, at)},"hash":${JSON.stringify(hash)}${text.slice(at)}`;
  return { artifact: sealed, json };
}

/** Fills in `hash`; the result is what gets written to disk. */
export function sealArtifact(artifact: Omit<Artifact, "hash">): Artifact {
  return { ...artifact, hash: hashArtifact(artifact) } as Artifact;
}

/** The on-disk form: canonical key order, two-space indent, trailing newline. */
export function serializeArtifact(artifact: Artifact): string {
  return JSON.stringify(sortKeys(artifact), null, 2) + "\n";
}
