/**
 * A compact, stable text rendering of a program, one instruction per line. Used by
 * tests to assert exact lowering shapes readably, and by docs/ir.md. Not parsed
 * back by anything: the JSON artifact is the interchange format.
 */
import type { Artifact, Expr, Instr, Item, Term } from "../../ir-schema/index.ts";

export function printExpr(e: Expr | Item): string {
  switch (e.kind) {
    case "lit":
      return JSON.stringify(e.value);
    case "global":
    case "var":
      return e.name;
    case "member":
      return `${printExpr(e.object)}${e.optional ? "?." : ""}[${printExpr(e.property)}]`;
    case "builtin":
      return `${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "method":
      return `${printExpr(e.object)}${e.optional ? "?." : "."}${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "unary":
      return `${e.op}${/^[a-z]/.test(e.op) ? " " : ""}${printExpr(e.arg)}`;
    case "binary":
    case "logical":
      return `(${printExpr(e.left)} ${e.op} ${printExpr(e.right)})`;
    case "cond":
      return `(${printExpr(e.test)} ? ${printExpr(e.then)} : ${printExpr(e.else)})`;
    case "array":
      return `[${e.items.map(printExpr).join(", ")}]`;
    case "object":
      return `{${e.props.map((p) => (p.kind === "spread" ? printExpr(p) : `${printExpr(p.key)}: ${printExpr(p.value)}`)).join(", ")}}`;
    case "template":
      return `\`${e.quasis.map((q, i) => q + (i < e.exprs.length ? `\${${printExpr(e.exprs[i])}}` : "")).join("")}\``;
    case "isError":
      return `isError(${printExpr(e.value)}, ${e.className})`;
    case "arrayFn":
      return `${printExpr(e.source)}.${e.fn}((${e.param}${e.index ? `, ${e.index}` : ""}) => ${printExpr(e.body)})`;
    case "retryPolicy":
      return `RetryPolicy(${printExpr(e.options)})`;
    case "iter":
      return `iter(${printExpr(e.value)}${e.method ? `.${e.method}()` : ""})`;
    case "spread":
      return `...${printExpr(e.value)}`;
  }
}

export function printInstr(i: Instr): string {
  const path = (p: Expr[]) => p.map((x) => `[${printExpr(x)}]`).join("");
  switch (i.kind) {
    case "assign":
      return `${i.target}${path(i.path)} = ${printExpr(i.value)}`;
    case "push":
      return `${i.target}${path(i.path)}.push(...${printExpr(i.items)})`;
    case "call":
      return `${i.target} = call ${i.site}${i.iter.length ? `@${i.iter.join(".")}` : ""} ${i.action}${printExpr(i.args)}${i.options ? ` options ${printExpr(i.options)}` : ""}`;
    case "await":
      return `${i.target ?? "_"} = await ${i.mode} ${printExpr(i.value)}`;
    case "sleep":
      return `sleep ${printExpr(i.duration)}`;
    case "next":
      return `${i.target} = next ${i.iterator}`;
    case "log":
      return `log ${i.level} ${i.site}${i.iter.length ? `@${i.iter.join(".")}` : ""} [${i.args.map(printExpr).join(", ")}]`;
    case "child":
      return `${i.target} = child ${i.site}${i.iter.length ? `@${i.iter.join(".")}` : ""} ${i.workflow}${printExpr(i.args)}`;
    case "receive":
      return `${i.target} = receive ${i.site}${i.iter.length ? `@${i.iter.join(".")}` : ""} ${printExpr(i.topic)}${i.timeout ? ` timeout ${printExpr(i.timeout)}` : ""}`;
    case "send":
      return `${i.target} = send ${i.site}${i.iter.length ? `@${i.iter.join(".")}` : ""} ${printExpr(i.instance)} ${printExpr(i.topic)} ${printExpr(i.message)}`;
    case "publish":
      return `publish ${printExpr(i.key)} ${printExpr(i.value)}`;
  }
}

export function printTerm(t: Term): string {
  switch (t.kind) {
    case "jump":
      return `jump b${t.to}`;
    case "branch":
      return `branch ${printExpr(t.cond)} ? b${t.then} : b${t.else}`;
    case "return":
      return `return ${printExpr(t.value)}`;
    case "throw":
      return `throw ${printExpr(t.value)}`;
  }
}

/** `b0:` headers (with `catch -> bN as err` when the block has a handler), indented instructions. */
export function printProgram(artifact: Pick<Artifact, "program">): string {
  const lines: string[] = [];
  for (const b of artifact.program.blocks) {
    lines.push(`b${b.id}:${b.handler ? ` (catch -> b${b.handler.block} as ${b.handler.bind})` : ""}`);
    for (const i of b.instrs) lines.push(`  ${printInstr(i)}`);
    lines.push(`  ${printTerm(b.term)}`);
  }
  return lines.join("\n");
}
