/**
 * Prints a generated program (see program-gen.ts) as a complete workflow module:
 * deterministic actions, an error class, and one function-form workflow over
 * params (a, b, s) returning all of its state, the shared arrays and objects and
 * which of their references are the same object.
 */
import type { Bool, Num, Stmt, Str } from "./program-gen.ts";

const HEADER = `import { action, workflow, runAction } from "cairnjs";

export class Boom extends Error {
  override name = "Boom";
}

export const inc = action(async function inc(x: number): Promise<number> {
  return x + 1;
});

export const dbl = action(async function dbl(x: number): Promise<number> {
  return (x * 2) % 100000;
});

export const risky = action(async function risky(x: number): Promise<number> {
  if (x % 3 === 0) throw new Boom(\`boom \${x}\`);
  return x - 1;
});

export const cat = action(async function cat(a: string, n: number): Promise<string> {
  return \`\${a}:\${n}\`.slice(-12);
});

/** A class that sets no name: JavaScript shows its errors' name as "Error". */
export class Plain extends Error {}

/** Throws what JavaScript lets an action throw: a string, a plain object, a number, an Error. */
export const odd = action(async function odd(x: number): Promise<number> {
  const m = ((x % 5) + 5) % 5;
  if (m === 0) throw \`odd \${x}\`;
  if (m === 1) throw { code: x, list: [x] };
  if (m === 2) throw x;
  if (m === 3) throw new Plain(\`plain \${x}\`);
  return x + 1;
});

/** Gives back what it is passed: an early return hands the workflow's state through it. */
export const snap = action(async function snap(state: unknown): Promise<unknown> {
  return state;
});
`;

interface Scope {
  /** The innermost loop variable, readable by `loopVar` expressions. */
  loopVar: string | null;
  inLoop: boolean;
  /** Inside a `try` block, where a returned call must be awaited (an un-awaited one is rejected there). */
  inTry: boolean;
  indent: string;
}

const STATE = "v0, v1, v2, s0, log, arrs, objs, ref0, ref1, ob0, ob1, ch, same: [ref0 === ref1, ob0 === ob1, arrs[0] === arrs[1], objs[0] === objs[1]]";

export function printProgram(body: Stmt[], name = "generated"): string {
  // Fresh identifiers for loop variables, counters and temporaries; local to this
  // call so two printed programs never depend on each other.
  let counter = 0;
  const fresh = (prefix: string) => `${prefix}${counter++}`;

  const num = (e: Num, s: Scope): string => {
    switch (e.k) {
      case "lit": return e.v < 0 ? `(${e.v})` : String(e.v);
      case "var": return `v${e.i}`;
      case "loopVar": return s.loopVar ?? "1";
      case "bin": return `(${num(e.l, s)} ${e.op} ${num(e.r, s)})`;
      // Products are folded back into a small range so values stay finite.
      case "mul": return `((${num(e.l, s)} * ${num(e.r, s)}) % 1000)`;
      case "mod": return `(${num(e.l, s)} % ${e.m})`;
      case "call": return `(await ${e.fn}(${num(e.arg, s)}))`;
      case "cond": return `(${bool(e.c, s)} ? ${num(e.t, s)} : ${num(e.e, s)})`;
      case "or": return `(${num(e.l, s)} || ${num(e.r, s)})`;
      case "pick": return `[${e.items.map((x) => num(x, s)).join(", ")}][Math.abs(${num(e.at, s)}) % ${e.items.length}]`;
      case "member": return `({ p: ${num(e.a, s)}, q: ${num(e.b, s)} }).q`;
      case "negZero": return "(-0)";
      case "neg": return `(-${num(e.e, s)})`;
      case "len": return `ref${e.r}.length`;
      case "field": return `ob${e.o}.n`;
      case "indexOf": return `arrs.indexOf(ref${e.r})`;
      // Links may be null: each form short-circuits or throws where JavaScript does.
      case "chain": return [
        "Number(ch?.b.c ?? -1)", "Number(ch?.b?.c ?? -1)", "Number(ch.b?.c ?? -1)", "(ch?.b.c?.toFixed(1).length ?? -1)",
      ][e.form];
    }
  };

  const bool = (b: Bool, s: Scope): string => {
    switch (b.k) {
      case "cmp": return `(${num(b.l, s)} ${b.op} ${num(b.r, s)})`;
      case "not": return `!${bool(b.b, s)}`;
      case "logic": return `(${bool(b.l, s)} ${b.op} ${bool(b.r, s)})`;
      case "even": return `(${num(b.e, s)} % 2 === 0)`;
      case "same": return b.what === "slot" ? "(arrs[0] === arrs[1])" : b.what === "r" ? "(ref0 === ref1)" : "(ob0 === ob1)";
    }
  };

  const str = (e: Str, s: Scope): string => {
    switch (e.k) {
      case "svar": return "s0";
      case "tmpl": return `\`\${${str(e.s, s)}}<\${${num(e.n, s)}}>\``;
      case "concat": return `(${str(e.s, s)} + ${JSON.stringify(e.lit)})`;
      // By code point: a UTF-16 slice can split "🚀", and a lone surrogate may not leave the workflow (a PayloadError
      // in the result or an action's argument, where plain JavaScript has none).
      case "slice": return `[...(${str(e.s, s)})].slice(0, 8).join("")`;
      case "cat": return `(await cat(${str(e.s, s)}, ${num(e.n, s)}))`;
      case "string": return `String(${num(e.n, s)})`;
    }
  };

  const isStr = (e: Num | Str): e is Str => ["svar", "tmpl", "concat", "slice", "cat", "string"].includes(e.k);

  const block = (stmts: Stmt[], s: Scope): string[] => stmts.flatMap((st) => stmt(st, s));

  const loop = (head: string, body: Stmt[], s: Scope, loopVar: string, prelude: string[] = []): string[] => {
    const inner: Scope = { loopVar, inLoop: true, inTry: s.inTry, indent: s.indent + "  " };
    return [`${s.indent}${head} {`, ...prelude.map((l) => inner.indent + l), ...block(body, inner), `${s.indent}}`];
  };

  const stmt = (st: Stmt, s: Scope): string[] => {
    const at = (line: string) => s.indent + line;
    switch (st.k) {
      case "assign": return [at(`v${st.i} ${st.op} ${num(st.e, s)};`)];
      case "incr": return [at(`v${st.i}++;`)];
      case "sassign": return [at(`s0 = ${str(st.s, s)};`)];
      case "log": return [at(`log.push(${isStr(st.e) ? str(st.e, s) : num(st.e, s)});`)];
      case "if": {
        const inner = { ...s, indent: s.indent + "  " };
        const out = [at(`if (${bool(st.c, s)}) {`), ...block(st.then, inner)];
        if (st.else.length) out.push(at("} else {"), ...block(st.else, inner));
        return [...out, at("}")];
      }
      case "forOf": {
        const x = fresh("x");
        return loop(`for (const ${x} of [${st.items.join(", ")}])`, st.body, s, x);
      }
      case "classicFor": {
        const c = fresh("c");
        return loop(`for (let ${c} = 0; ${c} < ${st.n}; ${c}++)`, st.body, s, c);
      }
      case "while": {
        const w = fresh("w");
        // The counter is bumped first, so a `continue` in the body cannot loop forever.
        return [at(`let ${w} = 0;`), ...loop(`while (${w} < ${st.bound} && ${bool(st.c, s)})`, st.body, s, w, [`${w}++;`])];
      }
      case "jump": return s.inLoop ? [at(`if (${bool(st.c, s)}) ${st.kind};`)] : [];
      case "try": {
        const inner = { ...s, indent: s.indent + "    " };
        return [
          at("try {"), ...block(st.body, { ...s, inTry: true, indent: s.indent + "  " }),
          at("} catch (err) {"), at("  if (err instanceof Boom) {"), at("    log.push(err.message);"),
          ...block(st.handler, inner),
          at("  } else {"), at("    throw err;"), at("  }"), at("}"),
        ];
      }
      case "risky": {
        const call = `risky(${num(st.e, s)})`;
        return [at(`v${st.i} = await ${st.once ? `runAction(${call}, { retry: { attempts: 1 } })` : call};`)];
      }
      case "all": {
        const p = fresh("p");
        return [at(`const ${p} = await Promise.all([inc(${num(st.a, s)}), dbl(${num(st.b, s)})]);`), at(`v${st.i} = ${p}[0] + ${p}[1];`)];
      }
      case "fanOut": {
        const p = fresh("p");
        const y = fresh("y");
        return [at(`const ${p} = await Promise.all([${st.items.join(", ")}].map((${y}) => dbl(${y} + v${st.i})));`), at(`log.push(${p});`)];
      }
      case "deferred": {
        const h = fresh("h");
        return [at(`const ${h} = inc(${num(st.a, s)});`), at(`v${st.j} = ${num(st.e, s)};`), at(`v${st.i} = await ${h};`)];
      }
      case "settled": {
        const r = fresh("r");
        const values = fresh("st");
        return [
          at(`const ${r} = await Promise.allSettled([risky(${num(st.a, s)}), inc(${num(st.b, s)})]);`),
          at(`const ${values} = ${r}.map((x) => (x.status === "fulfilled" ? x.value : x.reason.message));`),
          at(`log.push(${values});`),
        ];
      }
      case "destructure": {
        if (st.swap) return [at(`[v${st.i}, v${st.j}] = [${num(st.a, s)}, v${st.i}];`)];
        const d = fresh("d");
        return [at(`const [${d}a, ${d}b = 5] = [${num(st.a, s)}];`), at(`const { q: ${d}c, ...${d}r } = { p: 1, q: ${num(st.b, s)} };`), at(`v${st.i} = ${d}a + ${d}b + ${d}c + ${d}r.p;`)];
      }
      case "return": return [at(`if (${bool(st.c, s)}) {`), at(`  return { early: true, ${STATE} };`), at("}")];
      case "returnCall": return [at(`if (${bool(st.c, s)}) {`), at(`  return ${returnedCall(st, s)};`), at("}")];
      // -0 prints as "0"; its reciprocal shows the sign.
      case "sign": return [at(`log.push(String(1 / ${num(st.e, s)}));`)];
      // Arrays stay short: a push past 4 elements is skipped.
      case "rpush": return [at(`if (ref${st.r}.length < 4) ref${st.r}.push(${num(st.e, s)});`)];
      case "repoint": return [at(st.what === "r" ? `ref${st.i} = arrs[${st.to}];` : `ob${st.i} = objs[${st.to}];`)];
      case "share": return [at(`${st.what}[${st.i}] = ${st.what}[${st.to}];`)];
      case "oset": return [at(`ob${st.o}.n ${st.op} ${num(st.e, s)};`), at(`ob${st.o}.n = ob${st.o}.n % 1000;`)];
      case "rset": return [at(`if (ref${st.r}.length > 0) ref${st.r}[0] = ${num(st.e, s)};`)];
      case "chset": return [at(["ch = null;", "ch = { b: null };", `ch = { b: { c: ${num(st.e, s)} } };`, "ch = { b: { c: null } };", "ch = { b: {} };"][st.to])];
      // Evaluated for what they throw (SyntaxError, TypeError, URIError), their value unused.
      case "exprStmt": return [at(["JSON.parse(s0);", "ch.b.c;", "decodeURIComponent(s0);", "ch?.b.c;"][st.form])];
      case "tryAny": {
        const inner = { ...s, indent: s.indent + "  " };
        const shown = "[typeof err, err instanceof Error, err instanceof TypeError, err instanceof Boom, err?.name, String(err), JSON.stringify(err), Object.keys(err)]";
        return [at("try {"), ...block(st.body, { ...inner, inTry: true }), at("} catch (err: any) {"), at(`  log.push(${shown});`), ...block(st.handler, inner), at("}")];
      }
      case "oddThrow": return [at(`v${st.i} = await runAction(odd(${num(st.e, s)}), { retry: { attempts: 1 } });`)];
      case "worklist": {
        // A queue that grows while it is walked: for...of visits what the body pushes.
        const q = fresh("q");
        const x = fresh("x");
        const push = `if (${q}.length < ${st.bound} && ${bool(st.c, s)}) ${q}.push(${num(st.push, s)});`;
        const inner: Scope = { loopVar: x, inLoop: true, inTry: s.inTry, indent: s.indent + "  " };
        return [
          at(`const ${q}: number[] = [${st.seed.join(", ")}];`), at(`for (const ${x} of ${q}) {`), ...block(st.body, inner), inner.indent + push, at("}"),
          at(`log.push(${q});`),
        ];
      }
      case "deep": return deep(st, s);
    }
  };

  /**
   * A call giving back the state, returned without `await` as JavaScript lets an
   * async function return a promise; inside a `try`, where that means something
   * else (and is rejected), each call is awaited.
   */
  const returnedCall = (st: Extract<Stmt, { k: "returnCall" }>, s: Scope): string => {
    const aw = s.inTry ? "await " : "";
    const snap = (how: string) => `snap({ early: "${how}", ${STATE} })`;
    const n = num(st.e, s);
    return [
      `${aw}${snap("call")}`,
      `${aw}runAction(${snap("runAction")}, { retry: { attempts: 1 } })`,
      `${aw}Promise.all([${snap("all")}, inc(${n})])`,
      `(${n} % 2 === 0 ? ${aw}${snap("then")} : ${aw}inc(${n}))`,
    ][st.form];
  };

  /** A linked list or nested arrays `n` levels deep, optionally held across an action call, then walked. */
  const deep = (st: Extract<Stmt, { k: "deep" }>, s: Scope): string[] => {
    const at = (line: string) => s.indent + line;
    const [d, k, p, sum] = [fresh("deep"), fresh("k"), fresh("p"), fresh("sum")];
    const list = st.kind === "list";
    return [
      at(`let ${d}: any = ${list ? "null" : "[]"};`),
      at(`for (let ${k} = 0; ${k} < ${st.n}; ${k}++) ${d} = ${list ? `{ v: ${k} % 7, next: ${d} }` : `[${d}, ${k} % 3]`};`),
      ...(st.pause ? [at("await inc(0);")] : []),
      at(`let ${sum} = 0;`),
      list
        ? at(`for (let ${p} = ${d}; ${p} !== null; ${p} = ${p}.next) ${sum} += ${p}.v;`)
        : at(`for (let ${p} = ${d}; ${p}.length > 0; ${p} = ${p}[0]) ${sum} += ${p}[1];`),
      at(`v${st.i} = (v${st.i} + ${sum}) % 1000;`),
    ];
  };

  const top: Scope = { loopVar: null, inLoop: false, inTry: false, indent: "  " };
  return [
    HEADER,
    `export const ${name} = workflow(async function ${name}(a: number, b: number, s: string) {`,
    "  let v0 = a;",
    "  let v1 = b;",
    "  let v2 = 0;",
    "  let s0 = s;",
    "  const log: unknown[] = [];",
    "  const arrs: number[][] = [[], [1]];",
    "  const objs = [{ n: 0 }, { n: 1 }];",
    "  let ref0 = arrs[0];",
    "  let ref1 = arrs[1];",
    "  let ob0 = objs[0];",
    "  let ob1 = objs[1];",
    "  let ch: any = { b: { c: 1 } };",
    ...block(body, top),
    `  return { early: false, ${STATE} };`,
    "});",
    "",
  ].join("\n");
}
