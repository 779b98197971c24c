import { parse as babelParse, type ParseError } from "@babel/parser";
import type * as t from "@babel/types";

export interface SyntaxProblem {
  message: string;
  line: number;
  /** 0-based, like Babel node locations. */
  column: number;
}

export interface ParsedModule {
  /** Null when the parser could not recover from the error. */
  ast: t.File | null;
  syntaxErrors: SyntaxProblem[];
}

/**
 * Strict-mode errors the parser recovers from but that we report with our own,
 * more specific codes (CAIRN107 `with`, CAIRN106 `delete`), so a user sees one
 * diagnostic per problem rather than a syntax error and a rule violation.
 */
const REPORTED_BY_RULES = new Set(["StrictWith", "StrictDelete"]);

/**
 * The only place that knows which parser we use. Standard (not legacy) decorators:
 * Babel accepts them before or after `export`, with or without arguments, which
 * covers `@workflow` and `@workflow("name")`.
 */
export function parseModule(source: string, options: { jsx?: boolean } = {}): ParsedModule {
  // Babel's TypeScript plugin parses every `a < b` as the start of type arguments
  // first and backs out by throwing a SyntaxError: four per loop-heavy module. An
  // error captures a stack trace when made, which costs more than the rest of
  // that try; nothing reads these traces (syntax problems keep message and
  // location only). The parse is synchronous, so no other code sees the limit.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const ast = babelParse(source, {
      sourceType: "module",
      // JSX only for .tsx: in .ts, `<T>x` is a type assertion, not an element.
      plugins: ["typescript", "decorators", "explicitResourceManagement", ...(options.jsx ? (["jsx"] as const) : [])],
      errorRecovery: true,
      // Nothing reads comments off nodes; attaching them is work (Babel: up to 30% on comment-heavy code) and memory.
      attachComment: false,
    });
    const errors = (ast.errors ?? []) as ParseError[];
    return {
      ast,
      syntaxErrors: errors.filter((e) => !REPORTED_BY_RULES.has(e.reasonCode)).map(toProblem),
    };
  } catch (error) {
    return { ast: null, syntaxErrors: [toProblem(error)] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function toProblem(error: unknown): SyntaxProblem {
  const e = error as { message?: unknown; loc?: { line: number; column: number } };
  const message = typeof e.message === "string" ? e.message.replace(/ \(\d+:\d+\)$/, "") : String(error);
  return { message, line: e.loc?.line ?? 1, column: e.loc?.column ?? 0 };
}
