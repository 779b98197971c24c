/** Public types of the compiler; see docs/interfaces.md. */
import type { Artifact } from "../ir-schema/index.ts";
import type { ModuleCache } from "./resolve/module-cache.ts";

export interface ModuleResolver {
  /** Absolute project root. */
  root: string;
  /** Absolute path of a project file, or null (packages, missing files). */
  resolve(specifier: string, fromFile: string): string | null;
  /** File text, or null. */
  read(file: string): string | null;
}

export interface CompileOptions {
  /** Project root; artifact `source` and every `loc` are relative to it (default `resolver.root`). */
  root?: string;
  /** Parsed-module cache shared across compile() calls (createModuleCache()). */
  cache?: ModuleCache;
}

export interface ActionSource {
  name: string;
  /** Absolute path of the defining module. */
  file: string;
  exportName: string;
}

export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  message: string;
  hint: string;
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface CompileResult {
  workflows: Artifact[];
  diagnostics: Diagnostic[];
  actions: ActionSource[];
}
