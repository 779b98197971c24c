import { ArtifactSchema, IR_VERSION } from "./schema.ts";

/** The JSON Schema document for an artifact, as checked in at `cairn-ir.schema.json`. */
export function renderJsonSchema(): string {
  const doc = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://cairn.dev/schema/ir-v${IR_VERSION}.json`,
    title: "Cairn workflow IR artifact",
    ...JSON.parse(JSON.stringify(ArtifactSchema)),
  };
  // TypeBox names definitions by bare id; JSON Schema wants `#/$defs/<id>` pointers.
  const text = JSON.stringify(doc, (key, value) => {
    if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) return `#/$defs/${value}`;
    if (key === "$id" && typeof value === "string" && !value.startsWith("https:")) return undefined;
    return value;
  }, 2);
  return text + "\n";
}
