import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as api from "../runtime/api/index.ts";
import * as cairn from "../index.ts";
import type { CallOptions } from "../runtime/api/options.ts";
import type { RetryOptions } from "../runtime/api/retry.ts";
import {
  AuthoringNames, AuthoringRoles, CallOptionKeys, PACKAGE_NAME, RetryOptionKeys, WORKFLOW_RUN_METHOD,
  type CallOptionKey, type RetryOptionKey,
} from "../ir-schema/vocabulary.ts";

/**
 * The authoring vocabulary (ir-schema/vocabulary.ts) is the one place the names
 * of the authoring API are written: runtime/api implements exactly those names and
 * the compiler recognises them through it, never through string literals of its own.
 */
const root = fileURLToPath(new URL("..", import.meta.url));

describe("runtime/api implements the vocabulary", () => {
  it("exports exactly the vocabulary's names, and so does the package", () => {
    expect(Object.keys(api).sort()).toEqual([...AuthoringNames].sort());
    expect(Object.keys(cairn).sort()).toEqual([...AuthoringNames].sort());
  });

  it("each name is what its role says", () => {
    for (const name of AuthoringNames) {
      const value: unknown = api[name];
      const role = AuthoringRoles[name];
      if (role === "errorClass") {
        const Cls = value as new () => Error;
        expect(new Cls()).toBeInstanceOf(Error);
        expect(new Cls().name, name).toBe(name);
      } else if (name !== "DEFAULT_RETRY") {
        expect(typeof value, name).toBe("function");
      }
    }
  });

  it("call options and retry policies have exactly the vocabulary's keys", () => {
    expectTypeOf<keyof CallOptions>().toEqualTypeOf<CallOptionKey>();
    expectTypeOf<keyof RetryOptions>().toEqualTypeOf<RetryOptionKey>();
    expect(Object.keys(api.DEFAULT_RETRY).sort()).toEqual([...RetryOptionKeys].sort());
    expect(() => api.runAction(Promise.resolve(1), { x: 1 } as never)).toThrow(`expected ${CallOptionKeys.join(" or ")}`);
    expect(() => new api.RetryPolicy({ x: 1 } as never)).toThrow("expected attempts, delay, maxDelay, factor or nonRetryable");
  });
});

/**
 * String literals spelling a vocabulary word in the given folders. Kind
 * tags (`kind: "action"`, `case "sleep":`, `"action"` as a type) name the
 * compiler's and the IR's own node kinds, not the API, and are left alone.
 */
function spelledWords(words: ReadonlySet<string>, dirs: readonly string[]): string[] {
  const files = execFileSync("git", ["ls-files", ...dirs.map((d) => `${d}/*.ts`)], { cwd: root, encoding: "utf8" }).trim().split("\n");
  const found: string[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(`${root}/${file}`, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && words.has(n.text) && !isKindTag(n)) {
        found.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText()}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

function isKindTag(n: ts.Node): boolean {
  const p = n.parent;
  if (ts.isLiteralTypeNode(p) || ts.isCaseClause(p)) return true;
  if (ts.isPropertyAssignment(p) && p.name.getText() === "kind") return true;
  if (ts.isBinaryExpression(p)) return /\.kind$/.test((p.left === n ? p.right : p.left).getText());
  return false;
}

// runtime/api is left out: it implements the words (as exports, keys, and the
// `actionName` property of an action), where a literal is the definition itself.
it("the compiler spells no vocabulary word as a string literal", () => {
  const words = new Set<string>([...AuthoringNames, ...CallOptionKeys, ...RetryOptionKeys, WORKFLOW_RUN_METHOD, PACKAGE_NAME]);
  expect(spelledWords(words, ["plugin"])).toEqual([]);
});
