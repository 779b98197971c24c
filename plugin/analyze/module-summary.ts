import type * as t from "@babel/types";
import { type Decl, type ExportEntry, type ImportBinding, type ModuleSummary } from "./declarations.ts";
import { PACKAGE_NAME } from "../../ir-schema/vocabulary.ts";
import { classifyVariable, decoratedWorkflowName, type ImportLookup } from "./classify.ts";
import { enumMembers } from "./enums.ts";

/** Reads a module's top level: imports, declarations (classified) and exports. */
export function summarizeModule(ast: t.File | null): ModuleSummary {
  const imports = new Map<string, ImportBinding>();
  const decls = new Map<string, Decl>();
  const exports = new Map<string, ExportEntry>();
  const starExports: string[] = [];
  if (!ast) return { imports, decls, exports, starExports };
  const body = ast.program.body;

  // Imports first: classifying `const x = action(...)` needs to know what `action` is.
  for (const stmt of body) {
    if (stmt.type !== "ImportDeclaration" || stmt.importKind === "type") continue;
    for (const spec of stmt.specifiers) {
      if (spec.type === "ImportSpecifier" && spec.importKind === "type") continue;
      const imported =
        spec.type === "ImportNamespaceSpecifier" ? "*"
        : spec.type === "ImportDefaultSpecifier" ? "default"
        : spec.imported.type === "Identifier" ? spec.imported.name : spec.imported.value;
      imports.set(spec.local.name, { source: stmt.source.value, imported });
    }
  }
  const lookup: ImportLookup = {
    cairnName(local) {
      const b = imports.get(local);
      return b && b.source === PACKAGE_NAME ? b.imported : null;
    },
    isImported: (local) => imports.has(local),
  };

  /** `exportAs`: "own" exports each binding under its own name, "default" as the default export. */
  const declare = (node: t.Node, exportAs: "own" | "default" | null, outer: readonly t.Decorator[] = []): void => {
    for (const [local, decl] of declarationsOf(node, lookup, outer)) {
      decls.set(local, decl);
      if (exportAs) exports.set(exportAs === "own" ? local : "default", { local });
    }
  };

  for (const stmt of body) {
    switch (stmt.type) {
      case "ExportNamedDeclaration":
        if (stmt.exportKind === "type") break;
        if (stmt.declaration) declare(stmt.declaration, "own", decoratorsOf(stmt));
        for (const spec of stmt.specifiers) {
          const exported = spec.exported.type === "Identifier" ? spec.exported.name : spec.exported.value;
          if (spec.type === "ExportSpecifier") {
            if (spec.exportKind === "type") continue;
            if (stmt.source) exports.set(exported, { from: stmt.source.value, imported: spec.local.name });
            else exports.set(exported, { local: spec.local.name });
          } else if (spec.type === "ExportNamespaceSpecifier" && stmt.source) {
            exports.set(exported, { from: stmt.source.value, imported: "*" });
          }
        }
        break;
      case "ExportAllDeclaration":
        if (stmt.exportKind !== "type") starExports.push(stmt.source.value);
        break;
      case "ExportDefaultDeclaration": {
        const d = stmt.declaration;
        if (d.type === "Identifier") exports.set("default", { local: d.name });
        else if ((d.type === "ClassDeclaration" || d.type === "FunctionDeclaration") && d.id) declare(d, "default", decoratorsOf(stmt));
        else {
          const decl = classifyVariable("const", d as t.Expression, lookup);
          if (decl) {
            decls.set("*default*", decl);
            exports.set("default", { local: "*default*" });
          }
        }
        break;
      }
      default:
        declare(stmt, null);
    }
  }
  return { imports, decls, exports, starExports };
}

/** Decorators written before `export` (`@workflow export class X`), which the parser may keep on the export statement. */
function decoratorsOf(stmt: t.Node): readonly t.Decorator[] {
  return (stmt as { decorators?: t.Decorator[] | null }).decorators ?? [];
}

function declarationsOf(node: t.Node, imports: ImportLookup, outer: readonly t.Decorator[] = []): Array<[string, Decl]> {
  switch (node.type) {
    case "VariableDeclaration": {
      const out: Array<[string, Decl]> = [];
      for (const d of node.declarations) {
        if (d.id.type !== "Identifier") continue;
        const decl = d.init
          ? classifyVariable(node.kind, d.init, imports)
          : { kind: "other" as const, what: "an uninitialised module-level variable" };
        // `const charge = workflow(async (id) => ...)`: a workflow named after its binding, as findWorkflows names it.
        if (decl?.kind === "other" && decl.workflow === null) out.push([d.id.name, { ...decl, workflow: d.id.name }]);
        else if (decl) out.push([d.id.name, decl]);
      }
      return out;
    }
    case "ClassDeclaration": {
      if (!node.id) return [];
      const workflow = decoratedWorkflowName(node.id.name, [...outer, ...(node.decorators ?? [])], imports);
      const decl: Decl = { kind: "class", className: node.id.name, superclass: node.superClass ?? null, bodyStart: node.body.start! + 1 };
      return [[node.id.name, workflow === null ? decl : { ...decl, workflow }]];
    }
    case "FunctionDeclaration":
      return node.id ? [[node.id.name, { kind: "other", what: "a module-level function" }]] : [];
    case "TSEnumDeclaration":
      return [[node.id.name, { kind: "enum", members: enumMembers(node) }]];
    default:
      return [];
  }
}

/** The name `local` is exported under from its module, or null when it is not exported. */
export function exportNameOf(summary: ModuleSummary, local: string): string | null {
  for (const [exported, entry] of summary.exports) if ("local" in entry && entry.local === local) return exported;
  return null;
}
