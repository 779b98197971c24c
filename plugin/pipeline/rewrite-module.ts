import MagicString, { type SourceMap } from "magic-string";
import type { ModuleLayout, WorkflowSite } from "../analyze/module-layout.ts";
import type { BuiltWorkflow } from "./built-workflow.ts";
import { Authoring, PACKAGE_NAME } from "../../ir-schema/vocabulary.ts";

/** Local name of the injected `compiledWorkflow` import; unlikely to clash with user code. */
export const HANDLE_FN = "__cairnCompiledWorkflow";

export interface RewrittenModule {
  code: string;
  /** Made on first call (and kept): a build without source maps never pays for one. */
  map(): SourceMap;
}

/**
 * Applies the transform to one module's original text:
 * - each workflow definition becomes `compiledWorkflow(<artifact>)`, so its body
 *   never reaches the bundle (the IR is all a worker needs);
 * - `action(async function foo() {})` gets its name as a string literal, which a
 *   minifier leaves alone;
 * - error classes get their name pinned on the constructor, since the runtime
 *   matches `instanceof` by constructor names and minifiers rename classes.
 * Every other byte is kept, and replaced ranges keep their line count, so line
 * numbers after them stay the same even without source maps.
 * Returns null when there is nothing to change.
 */
export function rewriteModule(
  code: string,
  id: string,
  layout: ModuleLayout,
  workflows: readonly BuiltWorkflow[],
): RewrittenModule | null {
  const byName = new Map(workflows.map((w) => [w.manifest.name, w.canonical]));
  const sites = layout.workflows.filter((w) => byName.has(w.name));
  if (sites.length === 0 && layout.actions.length === 0 && layout.errorClasses.length === 0 && layout.errorRefs.length === 0) {
    return null;
  }
  const s = new MagicString(code);
  for (const w of sites) s.overwrite(w.start, w.end, handleCode(w, byName.get(w.name)!, lineBreaks(code, w.start, w.end)));
  for (const a of layout.actions) s.appendLeft(a.insertAt, `${JSON.stringify(a.name)}, `);
  for (const c of layout.errorClasses) s.appendLeft(c.bodyStart, ` static { ${pin("this", c.className)} }`);
  const tail = moduleTail(layout, sites.length > 0);
  if (tail.length > 0) s.append(`\n${tail.join("\n")}\n`);
  let map: SourceMap | null = null;
  return {
    code: s.toString(),
    map() {
      if (!map) {
        map = s.generateMap({ source: id, includeContent: true, hires: "boundary" });
        // Absolute, not relative to `file` as magic-string makes it: webpack resolves relative sources against the wrong directory.
        map.sources = [id];
      }
      return map;
    },
  };
}

/** The statement that pins a class's `name` (the constructor name the runtime matches errors by). */
export function pin(target: string, className: string): string {
  return `Object.defineProperty(${target}, "name", { value: ${JSON.stringify(className)}, configurable: true });`;
}

/**
 * The handle expression for an artifact's JSON text. A string for JSON.parse: the
 * exact bytes whatever later tools do to literals, `__proto__` keys stay data, and
 * it is the cheapest thing for a bundler to parse and for V8 to load.
 */
export function handleExpression(json: string, breaks = ""): string {
  return `${HANDLE_FN}(JSON.parse(${singleQuoted(json)})${breaks ? `/*${breaks}*/` : ""})`;
}

/**
 * JSON text as a single-quoted JavaScript string. JSON.stringify would escape
 * every `"`, of which JSON is full: a fifth longer for every bundler to read and
 * three times the work to make. JSON text holds no line breaks but U+2028/U+2029,
 * which string literals may hold since ES2019, so only `\` and `'` need escaping.
 */
function singleQuoted(json: string): string {
  return `'${json.replace(/[\\']/g, "\\$&")}'`;
}

/** Statements appended to the module: the handle import, and name pins of imported error classes. */
export function moduleTail(layout: ModuleLayout, hasWorkflows: boolean): string[] {
  const tail = hasWorkflows ? [HANDLE_IMPORT] : [];
  // In a try: in an import cycle the class may not be initialised yet, and a
  // missing name pin must never stop the application from starting.
  for (const r of layout.errorRefs) tail.push(`try { ${pin(r.expression, r.className)} } catch {}`);
  return tail;
}

const HANDLE_IMPORT = `import { ${Authoring.compiledWorkflow} as ${HANDLE_FN} } from "${PACKAGE_NAME}";`;

function handleCode(site: WorkflowSite, json: string, breaks: string): string {
  const handle = handleExpression(json, breaks);
  if (site.form === "expression") return handle;
  if (site.exported === "default") return site.binding ? `const ${site.binding} = ${handle}; export default ${site.binding};` : `export default ${handle};`;
  return `${site.exported === "named" ? "export " : ""}const ${site.binding} = ${handle};`;
}

function lineBreaks(code: string, start: number, end: number): string {
  let n = 0;
  for (let i = code.indexOf("\n", start); i >= 0 && i < end; i = code.indexOf("\n", i + 1)) n++;
  return "\n".repeat(n);
}
