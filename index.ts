/** The authoring API: `import { action, workflow, Workflow, ... } from "cairnjs"`. */
export * from "./runtime/api/index.ts";
