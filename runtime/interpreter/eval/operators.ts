import type { BinaryOps, UnaryOps } from "../../../ir-schema/index.ts";
import { hasMember, propertyKey } from "./members.ts";

type UnaryOp = (typeof UnaryOps)[number];
type BinaryOp = (typeof BinaryOps)[number];

// The operands are JSON values (no functions, no getters), so the native operators
// cannot run user code; they give us JavaScript's exact coercion rules for free.
/* eslint-disable @typescript-eslint/no-explicit-any -- operators coerce on purpose */
export const unaryOps: { [K in UnaryOp]: (v: any) => unknown } = {
  "!": (v) => !v,
  "-": (v) => -v,
  "+": (v) => +v,
  "~": (v) => ~v,
  typeof: (v) => typeof v,
  void: () => undefined,
};

export const binaryOps: { [K in BinaryOp]: (a: any, b: any) => unknown } = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "%": (a, b) => a % b,
  "**": (a, b) => a ** b,
  // eslint-disable-next-line eqeqeq -- loose equality is the operator being implemented
  "==": (a, b) => a == b,
  // eslint-disable-next-line eqeqeq
  "!=": (a, b) => a != b,
  "===": (a, b) => a === b,
  "!==": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  in: (a, b) => hasMember(b, propertyKey(a)),
  "&": (a, b) => a & b,
  "|": (a, b) => a | b,
  "^": (a, b) => a ^ b,
  "<<": (a, b) => a << b,
  ">>": (a, b) => a >> b,
  ">>>": (a, b) => a >>> b,
};
