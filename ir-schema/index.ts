export * from "./types.ts";
export { IR_VERSION, IrModule, ArtifactSchema, ExprSchema, UnaryOps, BinaryOps, LogicalOps, ArrayFns, Globals, AwaitModes } from "./schema.ts";
export { validateArtifact, assertArtifact, InvalidArtifactError, type IrError, type ValidationResult } from "./validate.ts";
export { artifactText, canonicalJson, hashArtifact, sealArtifact, sealArtifactJson, serializeArtifact } from "./hash.ts";
export { renderJsonSchema } from "./json-schema.ts";
export { BuiltinFunctions, BuiltinConstants, StringMethods, ArrayMethods, NumberMethods, MethodNames, type BuiltinFunction, type StringMethod, type ArrayMethod, type NumberMethod } from "./builtins.ts";
export { artifactFileName, createManifest, manifestEntry, manifestOf, serializeManifest, MANIFEST_FILE, type Manifest, type ManifestEntry, type ScheduleEntry } from "./manifest.ts";
