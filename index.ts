/** The authoring API: `import { action, workflow, Workflow, ... } from "cairn"`. */
export * from "./runtime/api/index.ts";
