import { describe, expect, it } from "vitest";
import { arr, arrayFn, bin, builtin, cond, glob, isErr, lit, logical, mem, method, obj, path, prop, retryPolicy, spread, tmpl, un, v } from "./helpers/ir-builders.ts";
import { evalExpr, failure, value } from "./helpers/interp.ts";
import { evaluate } from "../runtime/interpreter/index.ts";
import { newErrorObject } from "../runtime/interpreter/errors.ts";
import type { Expr } from "../ir-schema/index.ts";

/** Evaluates with live values bound (an error object, which input cannot carry). */
const withVars = (expr: Expr, vars: Record<string, unknown>): unknown => evaluate(expr, { vars, calls: {}, locals: null });

describe("expressions: every kind", () => {
  it("lit, global, var", () => {
    expect(value(lit({ a: [1, "x", null] }))).toEqual({ a: [1, "x", null] });
    expect(evalExpr(glob("NaN"))).toBeNaN();
    expect(evalExpr(glob("Infinity"))).toBe(Infinity);
    expect(evalExpr(glob("undefined"))).toBeUndefined();
    expect(value(v("x"), { x: 42 })).toBe(42);
    expect(evalExpr(v("missing"))).toBeUndefined();
  });

  it("member: objects, arrays, strings, computed keys", () => {
    const input = { user: { name: "Ada", tags: ["a", "b"] } };
    expect(value(path("user", "name"), input)).toBe("Ada");
    expect(value(path("user", "tags", 1), input)).toBe("b");
    expect(value(path("user", "tags", "length"), input)).toBe(2);
    expect(value(mem(lit("hey"), 0))).toBe("h");
    expect(value(mem(lit("hey"), "length"))).toBe(3);
    expect(value(path("user", "missing"), input)).toBeUndefined();
    expect(value(mem(lit([10, 20]), bin("+", lit(0), lit(1))))).toBe(20);
    expect(value(mem(lit(5), "x"))).toBeUndefined();
  });

  it("member of undefined/null fails like JavaScript", () => {
    expect(failure(path("u", "x"), { u: null })).toEqual({ name: "TypeError", message: "Cannot read properties of null (reading 'x')" });
    expect(failure(mem(path("o", "a"), "b"), { o: {} })).toEqual({ name: "TypeError", message: "Cannot read properties of undefined (reading 'b')" });
  });

  it("optional chaining short-circuits the whole chain", () => {
    expect(value(mem(mem(v("o"), "a", true), "b"), { o: null })).toBeUndefined();
    expect(value(mem(mem(v("o"), "a", true), "b"), { o: { a: { b: 3 } } })).toBe(3);
    expect(value(method(v("s"), "toUpperCase", [], true), { s: null })).toBeUndefined();
    expect(value(mem(method(v("s"), "trim", [], true), "length"), { s: null })).toBeUndefined();
    expect(failure(mem(mem(v("o"), "a", true), "b"), { o: {} })).toEqual({
      name: "TypeError", message: "Cannot read properties of undefined (reading 'b')",
    });
  });

  it("method dispatch by runtime type, and its errors", () => {
    expect(value(method(lit("a-b"), "split", [lit("-")]))).toEqual(["a", "b"]);
    expect(value(method(lit([3, 1, 2]), "toSorted"))).toEqual([1, 2, 3]);
    expect(value(method(lit(3.14159), "toFixed", [lit(2)]))).toBe("3.14");
    expect(failure(method(v("o"), "foo"), { o: { foo: 1 } })).toEqual({ name: "TypeError", message: "o.foo is not a function" });
    expect(failure(method(path("o", "a"), "map"), { o: { a: 1 } })).toEqual({ name: "TypeError", message: "o.a.map is not a function" });
    expect(failure(method(v("s"), "push", [lit(1)]), { s: "x" })).toEqual({ name: "TypeError", message: "s.push is not a function" });
    expect(failure(method(v("u"), "trim"))).toEqual({ name: "TypeError", message: "Cannot read properties of undefined (reading 'trim')" });
    expect(failure(method(lit("ab"), "repeat", [lit(-1)]))).toEqual({ name: "RangeError", message: "Invalid count value: -1" });
  });

  it("unary operators", () => {
    expect(value(un("!", lit(0)))).toBe(true);
    expect(value(un("-", lit("3")))).toBe(-3);
    expect(value(un("+", lit("4")))).toBe(4);
    expect(value(un("~", lit(5)))).toBe(-6);
    expect(value(un("typeof", lit("s")))).toBe("string");
    expect(value(un("typeof", v("nope")))).toBe("undefined");
    expect(value(un("typeof", lit({})))).toBe("object");
    expect(evalExpr(un("void", lit(1)))).toBeUndefined();
  });

  it.each([
    ["+", 1, 2, 3], ["+", "a", 1, "a1"], ["+", 1, "2", "12"], ["-", 5, 2, 3], ["*", 3, 4, 12], ["/", 7, 2, 3.5],
    ["%", 7, 3, 1], ["**", 2, 10, 1024], ["==", 1, "1", true], ["==", null, null, true], ["!=", 0, "", false],
    ["===", 1, "1", false], ["!==", 1, "1", true], ["<", "a", "b", true], ["<=", 2, 2, true], [">", 3, "10", false],
    [">=", "3", "10", true], ["&", 6, 3, 2], ["|", 6, 3, 7], ["^", 6, 3, 5], ["<<", 1, 4, 16], [">>", -16, 2, -4],
    [">>>", -1, 28, 15], ["in", "a", { a: 1 }, true], ["in", "b", { a: 1 }, false], ["in", 1, [5, 6], true], ["in", 2, [5, 6], false],
  ] as const)("binary %s: %j %j -> %j", (op, l, r, expected) => {
    expect(value(bin(op, lit(l as never), lit(r as never)))).toEqual(expected);
  });

  it("== with null and undefined is loose", () => {
    expect(value(bin("==", glob("undefined"), lit(null)))).toBe(true);
    expect(value(bin("===", glob("undefined"), lit(null)))).toBe(false);
    expect(evalExpr(bin("/", lit(0), lit(0)))).toBeNaN();
  });

  it("`in` on a non-object is a TypeError", () => {
    expect(failure(bin("in", lit("x"), lit(5)))).toEqual({ name: "TypeError", message: "Cannot use 'in' operator to search for 'x' in 5" });
  });

  it("logical operators short-circuit and return operands", () => {
    const boom = path("u", "x"); // would throw if evaluated
    expect(value(logical("&&", lit(0), boom))).toBe(0);
    expect(value(logical("&&", lit(1), lit("y")))).toBe("y");
    expect(value(logical("||", lit("a"), boom))).toBe("a");
    expect(value(logical("||", lit(""), lit("b")))).toBe("b");
    expect(value(logical("??", lit(0), boom))).toBe(0);
    expect(value(logical("??", lit(null), lit("d")))).toBe("d");
    expect(value(logical("??", glob("undefined"), lit("d")))).toBe("d");
  });

  it("conditional evaluates one branch only", () => {
    expect(value(cond(lit(true), lit(1), path("u", "x")))).toBe(1);
    expect(value(cond(lit(""), path("u", "x"), lit(2)))).toBe(2);
  });

  it("array literals with spread of arrays and strings", () => {
    expect(value(arr(lit(1), spread(lit([2, 3])), spread(lit("ab"))))).toEqual([1, 2, 3, "a", "b"]);
    expect(failure(arr(spread(v("n"))), { n: 5 })).toEqual({ name: "TypeError", message: "n is not iterable" });
    expect(failure(arr(spread(v("u"))))).toEqual({ name: "TypeError", message: "u is not iterable" });
  });

  it("object literals with computed keys and spread (later keys win)", () => {
    expect(value(obj(prop("a", lit(1)), spread(v("o")), prop(bin("+", lit("k"), lit(2)), lit(true))), { o: { a: 9, b: 2 } }))
      .toEqual({ a: 9, b: 2, k2: true });
    expect(value(obj(spread(lit(null)), spread(lit("hi")), spread(lit([7]))))).toEqual({ 0: 7, 1: "i" });
  });

  it("template literals convert like String()", () => {
    expect(value(tmpl(["a", "-", "-", "-", "!"], [lit(1), lit(null), glob("undefined"), lit([1, 2])]))).toBe("a1-null-undefined-1,2!");
    expect(value(tmpl(["", ""], [lit({ x: 1 })]))).toBe("[object Object]");
    expect(withVars(tmpl(["err: ", ""], [v("e")]), { e: newErrorObject("BadThing", "oops") })).toBe("err: BadThing: oops");
    expect(withVars(tmpl(["err: ", ""], [v("e")]), { e: newErrorObject("BadThing", "") })).toBe("err: BadThing");
    // Data shaped like an error is data.
    expect(value(tmpl(["", ""], [v("e")]), { e: { name: "BadThing", message: "oops", ancestry: ["BadThing", "Error"] } })).toBe("[object Object]");
  });

  it("isError matches an error's class chain; data shaped like an error never matches", () => {
    const e = newErrorObject("Custom", "m", ["NotFound", "HttpError", "Error"]);
    expect(withVars(isErr(v("e"), "HttpError"), { e })).toBe(true);
    expect(withVars(isErr(v("e"), "Error"), { e })).toBe(true);
    expect(withVars(isErr(v("e"), "TypeError"), { e })).toBe(false);
    expect(withVars(isErr(v("e"), "Custom"), { e })).toBe(false);
    expect(value(isErr(v("e"), "Error"), { e: "Error" })).toBe(false);
    expect(value(isErr(v("e"), "NotFound"), { e: { name: "Custom", message: "m", ancestry: ["NotFound", "HttpError", "Error"] } })).toBe(false);
  });

  it("an error shows name and message as JavaScript does, and hides its class chain", () => {
    const e = newErrorObject("TypeError", "bad");
    const read = (expr: Expr) => withVars(expr, { e });
    expect([read(path("e", "name")), read(path("e", "message")), read(path("e", "ancestry"))]).toEqual(["TypeError", "bad", undefined]);
    expect(read(builtin("Object.keys", v("e")))).toEqual([]);
    expect(read(builtin("JSON.stringify", v("e")))).toBe("{}");
    expect(read(obj(spread(v("e"))))).toEqual({});
    expect([read(bin("in", lit("ancestry"), v("e"))), read(bin("in", lit("name"), v("e"))), read(bin("in", lit("message"), v("e")))]).toEqual([false, true, true]);
    expect(read(bin("+", v("e"), lit("")))).toBe("TypeError: bad");
  });

  it("arrayFn: every function, with index and nested scopes", () => {
    const xs = { xs: [1, 2, 3, 4] };
    expect(value(arrayFn("map", v("xs"), "x", bin("*", v("x"), v("i")), "i"), xs)).toEqual([0, 2, 6, 12]);
    expect(value(arrayFn("filter", v("xs"), "x", bin("===", bin("%", v("x"), lit(2)), lit(0))), xs)).toEqual([2, 4]);
    expect(value(arrayFn("some", v("xs"), "x", bin(">", v("x"), lit(3))), xs)).toBe(true);
    expect(value(arrayFn("every", v("xs"), "x", bin(">", v("x"), lit(3))), xs)).toBe(false);
    expect(value(arrayFn("find", v("xs"), "x", bin(">", v("x"), lit(2))), xs)).toBe(3);
    expect(value(arrayFn("find", v("xs"), "x", bin(">", v("x"), lit(9))), xs)).toBeUndefined();
    expect(value(arrayFn("findIndex", v("xs"), "x", bin(">", v("x"), lit(2))), xs)).toBe(2);
    expect(value(arrayFn("flatMap", v("xs"), "x", arr(v("x"), v("x"))), { xs: [1, 2] })).toEqual([1, 1, 2, 2]);
    // The arrow parameter shadows a workflow variable of the same name; an inner arrow sees the outer one's.
    const nested = arrayFn("map", v("xs"), "x", arrayFn("map", v("ys"), "y", bin("+", v("x"), v("y"))));
    expect(value(nested, { xs: [10, 20], ys: [1, 2], x: 999 })).toEqual([[11, 12], [21, 22]]);
    expect(failure(arrayFn("map", v("o"), "x", v("x")), { o: { a: 1 } })).toEqual({ name: "TypeError", message: "o.map is not a function" });
  });

  it("retryPolicy fills attempts with 100 and keeps the rest", () => {
    expect(value(retryPolicy(obj(prop("delay", lit("2s")))))).toEqual({ delay: "2s", attempts: 100 });
    expect(value(retryPolicy(obj(prop("attempts", lit(2)))))).toEqual({ attempts: 2 });
    expect(failure(retryPolicy(obj(prop("attempts", lit(0)))))).toEqual({
      name: "TypeError", message: "invalid retry attempts 0: expected an integer >= 1 (total tries)",
    });
  });

  it("builtin namespaces' constants given as builtins", () => {
    expect(value(builtin("Math.PI"))).toBe(Math.PI);
  });
});
