/** The Cairn compiler: `compile()` a file's workflows to IR artifacts, with diagnostics. */
export { compile } from "./compile.ts";
export { buildConflicts, type BuildModule } from "./build-conflicts.ts";
export { nodeResolver } from "./resolve/node-resolver.ts";
export { createModuleCache, type ModuleCache } from "./analyze/module-cache.ts";
export { formatDiagnostic, formatDiagnostics } from "./diagnostics/format.ts";
export { Rules, type Rule, type RuleName, type Situation } from "./diagnostics/rules.ts";
export { Situations, type SituationName } from "./diagnostics/situations.ts";
export type { ActionLocation, ArtifactValidator, ChildLocation, CompileOptions, CompileResult, Diagnostic, ModuleResolver } from "./types.ts";
export { printProgram, printExpr } from "./debug/print-ir.ts";
export { moduleLayout } from "./compile.ts";
export type { ModuleLayout, WorkflowSite, ActionSite, ErrorClassSite, ErrorRef } from "./analyze/module-layout.ts";
