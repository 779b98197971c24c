/** Public types of the compiler; see docs/interfaces.md. */
import type { Artifact, ScheduleEntry, ValidationResult } from "../ir-schema/index.ts";
import type { ModuleCache } from "./analyze/module-cache.ts";
import type { ModuleResolver } from "./resolve/module-resolver.ts";
import type { Diagnostic } from "./diagnostics/diagnostic.ts";

/*
 * ModuleResolver and Diagnostic live with the code that implements them, so the
 * phases import them from there and never come back up through this file (which
 * imports the phases' types): no import cycle between folders.
 */
export type { ModuleResolver } from "./resolve/module-resolver.ts";
export type { Diagnostic } from "./diagnostics/diagnostic.ts";

/** What checks a compiled artifact: `validateArtifact` (the hash was just computed, so `hash: false`). */
export type ArtifactValidator = (artifact: Artifact, options: { hash: false }) => ValidationResult;

export interface CompileOptions {
  /** Project root; artifact `source` and every `loc` are relative to it (default `resolver.root`). */
  root?: string;
  /** Parsed-module cache shared across compile() calls (createModuleCache()). */
  cache?: ModuleCache;
  /**
   * Check every artifact before returning it (an invalid one becomes CAIRN900):
   * pass `validateArtifact` from cairnjs/ir. Off by default: it costs about a third
   * of a compile, and the runtime validates every artifact it loads anyway.
   * `cairn check/build` and the test suite turn it on. A function rather than a
   * flag so that the compiler itself never loads the schema library, which the
   * bundler plugins would pay for in every build process (a sixth of a second).
   */
  validate?: ArtifactValidator;
}

export interface ActionLocation {
  name: string;
  /** Absolute path of the defining module. */
  file: string;
  exportName: string;
}

/** A workflow a compiled workflow starts as a child: its name, and where it is declared. */
export interface ChildLocation {
  name: string;
  /** Absolute path of the declaring module (the compiled file itself for a child of the same module). */
  file: string;
}

export interface CompileResult {
  workflows: Artifact[];
  /** canonicalJson of each of `workflows` (same order), from the pass that hashed it. */
  serialized?: string[];
  diagnostics: Diagnostic[];
  /** The actions the workflows call, wherever they are declared. */
  actions: ActionLocation[];
  /** The named, exported actions this module itself declares (what a worker given the file can serve). */
  declared: ActionLocation[];
  /**
   * Names of the workflows the file defines, those with errors too (no artifact):
   * what `cairn check` counts. Absent in results cached by earlier versions.
   */
  found?: string[];
  /**
   * The workflows the file's workflows start as children, sorted by name: what a
   * runner of the file must also compile and serve (those declared in other
   * modules are in none of this result's `workflows`). Absent when none, and in
   * results cached by earlier versions.
   */
  children?: ChildLocation[];
  /** The schedules the file declares (`export const x = schedule(...)`), for the manifest. Absent in results cached by earlier versions. */
  schedules?: ScheduleEntry[];
}
