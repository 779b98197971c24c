/**
 * Source mutations for compiler robustness tests: deletions, duplications, line
 * swaps and splices of tokens chosen to hit parser recovery and every rejection
 * rule (nondeterminism, `new`, `throw`, nested functions, generators, ...).
 */
import fc from "fast-check";

export type Mutation =
  | { op: "delete"; at: number; len: number }
  | { op: "duplicate"; at: number; len: number }
  | { op: "insert"; at: number; text: string }
  | { op: "swapLines"; i: number; j: number }
  /** A whole statement on its own line: keeps the file parseable, reaching the semantic rules. */
  | { op: "insertLine"; line: number; text: string };

const SNIPPETS = [
  "await ", "{", "}", "(", ")", ";", "=>", "`", '"', "'", ",", "...", "?.", "\n", "/*", "*/", "//", "\u0000", "😀",
  "Date.now()", "new Date()", "Math.random()", "crypto.randomUUID()", "process.env.X", "performance.now()",
  "throw new Error('x');", "throw 1;", "function f() { return 1; }", "() => 1", "yield 1;", "delete x.y;",
  "with (a) {}", "using r = open();", "x = y = 1;", "if ((x = 1)) {}", "new Map()", "new RetryPolicy({ attempts: 1 })",
  "@workflow\n", "class Z extends Workflow { async run() { return 1; } }",
  "export const q = workflow(async function q() { return 1; });", "for (;;) {}", "label: ", "super.x", "this.",
  "import('x')", "import x from './nope.ts';\n", "enum E { A }", "switch (a) { case 1: break; }", "do {} while (false);",
  "for (const k in obj) {}", "arguments", "eval('1')", "globalThis.x", "sleep(", "Promise.race([])", "let ", "const z = ",
];

const STATEMENTS = [
  "const t = Date.now();", "const d = new Date();", "const r = Math.random();", "const u = crypto.randomUUID();",
  "const p = performance.now();", "const e = process.env.HOME;", "throw new Error('x');", "throw 1;",
  "function helper() { return 1; }", "const f = () => 1;", "const m = new Map();", "delete (globalThis as any).x;",
  "let q = 1; q = q = 2;", "if ((q = 1)) {}", "console.log('x');", "const y = [1].forEach((v) => v);",
  "const z = [1, 2].map((v) => v * 2);", "await sleep('1s');", "await new Promise((r) => r(1));",
  "for (const k in {}) {}", "switch (1) { case 1: break; }", "do {} while (false);", "label: for (;;) { break label; }",
  "const h = fetch('x');", "const g = globalThis;", "eval('1');", "const big = 10n;", "const re = /x/g;",
  "const [a1, ...rest1] = [1, 2];", "const { k1 = 1, ...o1 } = { k1: 2 };", "try {} finally {}", "return;",
  "break;", "continue;", "yield 1;", "const self = this;", "arguments;", "void 0;", "typeof undefinedThing;",
];

export const mutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
    fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...SNIPPETS) }),
    fc.record({ op: fc.constant("swapLines" as const), i: fc.nat(), j: fc.nat() }),
    fc.record({ op: fc.constant("insertLine" as const), line: fc.nat(), text: fc.constantFrom(...STATEMENTS) }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** Whole-line edits only, so most results still parse and reach the workflow rules. */
export const lineMutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({ op: fc.constant("insertLine" as const), line: fc.nat(), text: fc.constantFrom(...STATEMENTS) }),
  { minLength: 1, maxLength: 3 },
);

export function applyMutations(source: string, mutations: Mutation[]): string {
  return mutations.reduce(applyOne, source);
}

function applyOne(source: string, m: Mutation): string {
  if (m.op === "swapLines" || m.op === "insertLine") return applyLines(source, m);
  const at = m.at % (source.length + 1);
  switch (m.op) {
    case "delete": return source.slice(0, at) + source.slice(at + m.len);
    case "duplicate": return source.slice(0, at + m.len) + source.slice(at, at + m.len) + source.slice(at + m.len);
    case "insert": return source.slice(0, at) + m.text + source.slice(at);
  }
}

function applyLines(source: string, m: Extract<Mutation, { op: "swapLines" | "insertLine" }>): string {
  const lines = source.split("\n");
  if (m.op === "insertLine") {
    lines.splice(m.line % (lines.length + 1), 0, m.text);
  } else {
    const i = m.i % lines.length;
    const j = m.j % lines.length;
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines.join("\n");
}
