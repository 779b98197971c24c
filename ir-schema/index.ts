export * from "./types.ts";
export { IR_VERSION, IrModule, ArtifactSchema, ExprSchema, UnaryOps, BinaryOps, LogicalOps, ArrayFns, Globals, AwaitModes } from "./schema.ts";
export { validateArtifact, assertArtifact, InvalidArtifactError, type IrError, type ValidationResult } from "./validate.ts";
export { canonicalJson, hashArtifact, sealArtifact, serializeArtifact } from "./hash.ts";
export { renderJsonSchema } from "./json-schema.ts";
