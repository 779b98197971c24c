import { createHash } from "node:crypto";
import type { Artifact } from "./types.ts";

/**
 * Canonical JSON: object keys sorted, no whitespace. Two artifacts with the same
 * content therefore hash (and serialize) byte-identically, whatever order the
 * compiler happened to build their objects in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/**
 * `value` in canonical key order, for JSON.stringify. Sealing an artifact used to
 * copy every node into a sorted prototype-less object, which cost more than the
 * serialization itself (allocation, and V8's slow path for dictionary-mode
 * objects). The compiler builds its nodes with their keys already in sorted
 * order, so this returns each such object or array itself and copies only what is
 * out of order (or is not a plain object): the text is the same either way.
 *
 * Why reuse is exact: JSON.stringify writes an object's keys in Object.keys
 * order, which is integer-like keys ascending, then the rest in insertion order;
 * the sorted copy gets the same integer-first order from the engine. When
 * Object.keys is already in sorted string order, both orders are that list. Keys
 * whose value is undefined are skipped by JSON.stringify as the copy drops them.
 * The check walks keys with for-in, which lists own keys in that same order and
 * allocates no array per object; it would list inherited enumerable keys after
 * them (only if Object.prototype was extended), which at worst forces a copy.
 */
function canonical(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return canonicalArray(value);
  const obj = value as Record<string, unknown>;
  // Anything but a plain object (a class instance, a Date) is copied, as before:
  // JSON.stringify of the instance itself could call an inherited toJSON.
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return sortedCopy(obj);
  let prev: string | undefined;
  for (const key in obj) {
    if (prev !== undefined && !(prev < key)) return sortedCopy(obj);
    prev = key;
    const v = obj[key];
    if (typeof v !== "object" || v === null) continue;
    const c = canonical(v);
    if (c !== v) return sortedCopy(obj, key, c);
  }
  return obj;
}

function canonicalArray(arr: unknown[]): unknown[] {
  if (Object.getPrototypeOf(arr) !== Array.prototype) return arr.map(canonical);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== "object" || v === null) continue;
    const c = canonical(v);
    if (c === v) continue;
    const out = arr.slice(0, i);
    out.push(c);
    for (let j = i + 1; j < arr.length; j++) out.push(canonical(arr[j]));
    return out;
  }
  return arr;
}

/**
 * A prototype-less copy of `obj` with its keys inserted in sorted order (no
 * prototype: a `__proto__` key in a literal is data and must be hashed as such).
 * `known` is a key whose canonical value the caller already made (`knownValue`),
 * so no changed subtree is canonicalized twice.
 */
function sortedCopy(obj: Record<string, unknown>, known?: string, knownValue?: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v !== undefined) out[key] = key === known ? knownValue : canonical(v);
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
  const sealed = withHash(artifact, hash);
  const at = text.indexOf(',"irVersion":');
  const json = at < 0 ? canonicalJson(sealed) : `${text.slice(0, at)},"hash":${JSON.stringify(hash)}${text.slice(at)}`;
  return { artifact: sealed, json };
}

/** Fills in `hash`; the result is what gets written to disk. */
export function sealArtifact(artifact: Omit<Artifact, "hash">): Artifact {
  return withHash(artifact, hashArtifact(artifact));
}

/**
 * The artifact with `hash`, which goes where it sorts (just before `irVersion`
 * when the other keys are in order), so that an artifact built in canonical order
 * stays so and serializing it later copies nothing.
 */
function withHash(artifact: Omit<Artifact, "hash">, hash: string): Artifact {
  const sealed: Record<string, unknown> = {};
  let placed = false;
  for (const [key, value] of Object.entries(artifact)) {
    if (key === "hash") continue;
    if (!placed && key > "hash") {
      sealed.hash = hash;
      placed = true;
    }
    // A `__proto__` key must stay data, not set the prototype.
    if (key === "__proto__") Object.defineProperty(sealed, key, { value, enumerable: true, writable: true, configurable: true });
    else sealed[key] = value;
  }
  if (!placed) sealed.hash = hash;
  return sealed as unknown as Artifact;
}

/**
 * The on-disk form: the canonical JSON (what the hash covers, plus the hash) and a
 * newline. One line: artifacts are for machines, and an indented copy of a large
 * one is about twice the bytes to write, ship and load (`jq . file` indents it).
 */
export function serializeArtifact(artifact: Artifact): string {
  return artifactText(canonicalJson(artifact));
}

/** serializeArtifact's text from the canonical JSON already made (sealArtifactJson's), without serializing again. */
export function artifactText(canonical: string): string {
  return `${canonical}\n`;
}
