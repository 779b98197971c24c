/** Regenerates `cairn-ir.schema.json` (npm run schema); a test fails when it is stale. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderJsonSchema } from "./json-schema.ts";

const out = fileURLToPath(new URL("./cairn-ir.schema.json", import.meta.url));
writeFileSync(out, renderJsonSchema());
console.error(`wrote ${out}`);
