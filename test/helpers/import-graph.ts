import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import ts from "typescript";

/** One import of one of the repository's files by another, both as repository paths. */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time, but still a dependency of the code. */
  typeOnly: boolean;
}

/**
 * The repository's own TypeScript files as git tracks them. Fixtures are source
 * the compiler reads, not part of the program, so they are left out.
 */
export function repositoryFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.tsx"], { cwd: root, encoding: "utf8" });
  return out.split("\0").filter((f) => f && !f.startsWith("fixtures/") && existsSync(join(root, f)));
}

/**
 * Every relative import edge: static imports, re-exports and `import()` calls,
 * read from the syntax tree so source text inside a string (tests write many
 * workflows into temporary files) is not taken for an import.
 */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), "utf8");
    const sf = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, false);
    const add = (spec: string, typeOnly: boolean): void => {
      if (!spec.startsWith(".")) return;
      const to = resolveRelative(from, spec, known);
      if (to) edges.push({ from, to, typeOnly });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, isTypeOnlyImport(node));
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.isTypeOnly);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        add(node.argument.literal.text, true);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return edges;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0
    && bindings.elements.every((e) => e.isTypeOnly);
}

/** `./x.ts`, `./x.js` (for `./x.ts`), `./x` and `./x/index.ts`, as NodeNext with .ts extensions allows. */
function resolveRelative(from: string, spec: string, known: ReadonlySet<string>): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const stem = base.replace(/\.(m?js|ts|tsx)$/, "");
  return [base, `${stem}.ts`, `${stem}.tsx`, `${base}/index.ts`].find((c) => known.has(c));
}

/** The top folder a file belongs to (`plugin`, `runtime`, `ir-schema`, ...), or "" for a file at the root. */
export function topFolder(file: string): string {
  const i = file.indexOf("/");
  return i < 0 ? "" : file.slice(0, i);
}

/**
 * The import cycles, as strongly connected components of two or more files
 * (Tarjan's algorithm, iterative so a long chain cannot overflow the stack).
 */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of [...next.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, counter); low.set(start, counter++); stack.push(start); onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter++); stack.push(w); onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== top.node);
        if (component.length > 1) components.push(component.sort());
      }
    }
  }
  return components;
}

/** The folders (each file's own directory) a cycle's files live in. */
export function foldersOf(component: readonly string[]): string[] {
  return [...new Set(component.map((f) => dirname(f)))].sort();
}
