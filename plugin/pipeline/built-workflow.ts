import type { Artifact, ManifestEntry } from "../../ir-schema/index.ts";
import { artifactText } from "../../ir-schema/hash.ts";
import { artifactFileName, manifestEntry } from "../../ir-schema/manifest.ts";

/**
 * A compiled workflow as a build uses it: the JSON its handle embeds, the
 * artifact file, and its manifest entry. Only strings and plain data, made once
 * per compile: rebuilds, and builds served from the disk cache, use it as it is,
 * where the artifact object would have to be parsed and printed again.
 */
export interface BuiltWorkflow {
  /** canonicalJson of the artifact, from the pass that hashed it: what the handle embeds. */
  canonical: string;
  /** The artifact file's name and text, as `cairn build` writes it (serializeArtifact: the canonical JSON and a newline). */
  fileName: string;
  text: string;
  manifest: ManifestEntry;
}

/** `canonical` is canonicalJson(artifact), which compile() returns with the artifact. */
export function builtWorkflow(artifact: Artifact, canonical: string): BuiltWorkflow {
  return { canonical, fileName: artifactFileName(artifact), text: artifactText(canonical), manifest: manifestEntry(artifact) };
}
