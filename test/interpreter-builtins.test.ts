import { describe, expect, it } from "vitest";
import { ArrayMethods, BuiltinFunctions, NumberMethods, StringMethods, type ArrayMethod, type BuiltinFunction, type Json, type NumberMethod, type StringMethod } from "../ir-schema/index.ts";
import { builtin, lit, method } from "./helpers/ir-builders.ts";
import { failure, value } from "./helpers/interp.ts";

type Case = [args: Json[], expected: Json];
const ok = (...cases: Case[]) => cases;

// Typed over the IR's list: a builtin without a case here is a type error.
const builtinCases: Record<BuiltinFunction, Case[]> = {
  "Math.abs": ok([[-3], 3]),
  "Math.ceil": ok([[1.2], 2]),
  "Math.floor": ok([[1.8], 1]),
  "Math.round": ok([[2.5], 3], [[-2.5], -2]),
  "Math.trunc": ok([[-1.7], -1]),
  "Math.sign": ok([[-4], -1]),
  "Math.max": ok([[1, 9, 3], 9], [[-1, -5], -1]),
  "Math.min": ok([[4, 2, 8], 2]),
  "Math.pow": ok([[2, 8], 256]),
  "Math.sqrt": ok([[81], 9]),
  "Math.cbrt": ok([[27], 3]),
  "Math.hypot": ok([[3, 4], 5]),
  "Math.log": ok([[1], 0]),
  "Math.log2": ok([[1024], 10]),
  "Math.log10": ok([[1000], 3]),
  "Math.exp": ok([[0], 1]),
  Number: ok([["42"], 42], [[true], 1], [[], 0]),
  String: ok([[12], "12"], [[null], "null"], [[[1, [2, 3]]], "1,2,3"], [[], ""]),
  Boolean: ok([[""], false], [["x"], true]),
  parseInt: ok([["42px"], 42], [["ff", 16], 255]),
  parseFloat: ok([["3.5e1x"], 35]),
  "Number.isInteger": ok([[5], true], [[5.5], false]),
  "Number.isFinite": ok([["5"], false], [[5], true]),
  "Number.isNaN": ok([["x"], false]),
  "Number.isSafeInteger": ok([[2 ** 53], false], [[7], true]),
  "Number.parseFloat": ok([["1.25"], 1.25]),
  "Number.parseInt": ok([["0x1A"], 26]),
  isNaN: ok([["x"], true], [["1"], false]),
  isFinite: ok([["12"], true]),
  "Array.isArray": ok([[[1]], true], [[{ length: 0 }], false]),
  "Array.of": ok([[1, "a"], [1, "a"]]),
  "Object.keys": ok([[{ b: 1, a: 2 }], ["b", "a"]], [[["x", "y"]], ["0", "1"]]),
  "Object.values": ok([[{ b: 1, a: 2 }], [1, 2]]),
  "Object.entries": ok([[{ a: 1 }], [["a", 1]]]),
  "Object.fromEntries": ok([[[["a", 1], ["b", [2]]]], { a: 1, b: [2] }]),
  "JSON.stringify": ok([[{ a: [1, null] }], '{"a":[1,null]}'], [[{ a: 1, b: 2 }, ["b"]], '{"b":2}'], [[[1], null, 1], "[\n 1\n]"]),
  "JSON.parse": ok([['{"a":[1,true]}'], { a: [1, true] }]),
  encodeURIComponent: ok([["a b&c"], "a%20b%26c"]),
  decodeURIComponent: ok([["a%20b"], "a b"]),
  "String.fromCharCode": ok([[72, 105], "Hi"]),
};

describe("builtins", () => {
  it("every builtin of the IR has cases", () => {
    expect(Object.keys(builtinCases).sort()).toEqual([...BuiltinFunctions].sort());
  });

  for (const [name, cases] of Object.entries(builtinCases)) {
    it.each(cases)(`${name}(%j) -> %j`, (args, expected) => {
      expect(value(builtin(name, ...args.map((a) => lit(a))))).toEqual(expected);
    });
  }

  it("errors of builtins are the native ones, catchable by name", () => {
    expect(failure(builtin("JSON.parse", lit("{")))).toEqual({ name: "SyntaxError", message: "Expected property name or '}' in JSON at position 1" });
    expect(failure(builtin("decodeURIComponent", lit("%")))).toEqual({ name: "URIError", message: "URI malformed" });
    expect(failure(builtin("Object.keys", lit(null)))).toEqual({ name: "TypeError", message: "Cannot convert undefined or null to object" });
    expect(failure(builtin("Object.fromEntries", lit([1])))).toEqual({ name: "TypeError", message: "Iterator value 1 is not an entry object" });
    expect(failure(builtin("Date.now"))).toEqual({ name: "TypeError", message: "Date.now is not a supported builtin" });
  });
});

const stringCases: Record<StringMethod, [self: string, args: Json[], expected: Json]> = {
  at: ["abc", [-1], "c"], charAt: ["abc", [1], "b"], charCodeAt: ["A", [0], 65], codePointAt: ["A", [0], 65],
  concat: ["a", ["b", 1], "ab1"], endsWith: ["abc", ["bc"], true], includes: ["abc", ["d"], false], indexOf: ["abcb", ["b"], 1],
  lastIndexOf: ["abcb", ["b"], 3], padEnd: ["7", [3, "0"], "700"], padStart: ["7", [3, "0"], "007"], repeat: ["ab", [2], "abab"],
  replace: ["a-a", ["a", "b"], "b-a"], replaceAll: ["a-a", ["a", "b"], "b-b"], slice: ["hello", [1, -1], "ell"],
  split: ["a,b", [","], ["a", "b"]], startsWith: ["abc", ["ab"], true], substring: ["hello", [3, 1], "el"],
  toLowerCase: ["AbC", [], "abc"], toUpperCase: ["AbC", [], "ABC"], trim: ["  x ", [], "x"], trimEnd: [" x ", [], " x"],
  trimStart: [" x ", [], "x "], toString: ["s", [], "s"], localeCompare: ["a", ["b"], -1], normalize: ["\u0041\u030A", ["NFC"], "\u00C5"],
};

const arrayCases: Record<ArrayMethod, [self: Json[], args: Json[], expected: Json]> = {
  at: [[1, 2, 3], [-1], 3], concat: [[1], [[2], 3], [1, 2, 3]], flat: [[1, [2, [3]]], [], [1, 2, [3]]],
  includes: [[1, 2], [2], true], indexOf: [["a", "b"], ["b"], 1], join: [[1, null, "x"], ["-"], "1--x"],
  lastIndexOf: [[1, 2, 1], [1], 2], slice: [[1, 2, 3], [1], [2, 3]], toReversed: [[1, 2, 3], [], [3, 2, 1]],
  toSorted: [[10, 9, 1], [], [1, 10, 9]], toSpliced: [[1, 2, 3], [1, 1, "x"], [1, "x", 3]], with: [[1, 2], [0, 5], [5, 2]],
  keys: [["a", "b"], [], [0, 1]], values: [["a", "b"], [], ["a", "b"]], entries: [["a"], [], [[0, "a"]]],
};

const numberCases: Record<NumberMethod, [self: number, args: Json[], expected: Json]> = {
  toFixed: [1.005, [1], "1.0"], toString: [255, [16], "ff"], toPrecision: [123.456, [4], "123.5"],
};

describe("methods", () => {
  it("every method of the IR has a case", () => {
    expect(Object.keys(stringCases).sort()).toEqual([...StringMethods].sort());
    expect(Object.keys(arrayCases).sort()).toEqual([...ArrayMethods].sort());
    expect(Object.keys(numberCases).sort()).toEqual([...NumberMethods].sort());
  });

  const all = [...Object.entries(stringCases), ...Object.entries(arrayCases), ...Object.entries(numberCases)];
  it.each(all)("%s", (name, [self, args, expected]) => {
    expect(value(method(lit(self), name, args.map((a) => lit(a))))).toEqual(expected);
  });

  it("methods do not mutate their receiver", () => {
    expect(value(method(lit([3, 1]), "toSorted"))).toEqual([1, 3]);
    const input = { xs: [3, 1, 2] };
    expect(value(method(method(lit(input.xs), "toReversed"), "concat", [lit(input.xs)]))).toEqual([2, 1, 3, 3, 1, 2]);
  });

  it("a method of another type is not a function", () => {
    expect(failure(method(lit(5), "trim"))).toEqual({ name: "TypeError", message: "5.trim is not a function" });
    expect(failure(method(lit(true), "toString"))).toEqual({ name: "TypeError", message: "true.toString is not a function" });
  });
});
