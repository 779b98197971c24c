/** `cairnjs/webpack`: `import cairn from "cairnjs/webpack"`, then `cairn({ outDir?, include?, exclude? })` in the plugins list. */
import { cairnUnplugin } from "./unplugin.ts";

export type { CairnPluginOptions } from "../pipeline/options.ts";
export default cairnUnplugin.webpack;
