import type * as t from "@babel/types";
import { someChild } from "../parse/children.ts";

const FUNCTION_TYPES = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration", "ClassMethod", "ObjectMethod"]);

/**
 * Which expressions of one source text may suspend: those containing an `await`
 * outside nested functions. Built by the check phase and handed to lowering with
 * its answers, which lowering asks again to order operands.
 */
export class AwaitIndex {
  private readonly memo = new WeakMap<t.Node, boolean>();
  /** Offsets of every `await` in the source text, ascending; made on first use. */
  private offsets: number[] | null = null;

  constructor(private readonly source: string) {}

  /** Whether evaluating `node` may suspend: it contains an `await` outside nested functions. */
  contains(node: t.Node | null | undefined): boolean {
    if (!node) return false;
    if (node.type === "AwaitExpression") return true;
    if (FUNCTION_TYPES.has(node.type) || !this.mayAwait(node)) return false;
    let v = this.memo.get(node);
    if (v === undefined) {
      v = someChild(node, (child) => this.contains(child));
      this.memo.set(node, v);
    }
    return v;
  }

  /**
   * False when the node's source text has no `await` in it, so it cannot contain
   * an AwaitExpression (the keyword cannot be escaped). Answers most of
   * contains()'s questions with a binary search instead of a walk of the subtree.
   */
  private mayAwait(node: t.Node): boolean {
    if (node.start == null || node.end == null) return true;
    const offsets = (this.offsets ??= offsetsOf(this.source, "await"));
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid] < node.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length && offsets[lo] < node.end;
  }
}

function offsetsOf(text: string, word: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) out.push(i);
  return out;
}
