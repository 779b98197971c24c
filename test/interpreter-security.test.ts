import { describe, expect, it } from "vitest";
import { assign, awaitOne, block, builtin, lit, mem, method, obj, path, prop, ret, returning, v, workflow } from "./helpers/ir-builders.ts";
import { failure, runSync, value } from "./helpers/interp.ts";

const proto = (): object => Object.prototype;
const polluted = () => ({}) as Record<string, unknown>;

describe("prototype safety", () => {
  it("member reads never see prototypes", () => {
    expect(value(path("o", "constructor"), { o: {} })).toBeUndefined();
    expect(value(path("o", "__proto__"), { o: {} })).toBeUndefined();
    expect(value(path("o", "toString"), { o: {} })).toBeUndefined();
    expect(value(path("o", "hasOwnProperty"), { o: { a: 1 } })).toBeUndefined();
    expect(value(mem(lit("abc"), "constructor"))).toBeUndefined();
    expect(value(mem(lit([1]), "map"))).toBeUndefined();
    expect(value(mem(lit(1), "constructor"))).toBeUndefined();
    expect(failure(path("o", "constructor", "prototype"), { o: {} })).toEqual({
      name: "TypeError", message: "Cannot read properties of undefined (reading 'prototype')",
    });
  });

  it("`__proto__` and `constructor` in input data are plain own data", () => {
    const o = JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": 1}}') as Record<string, never>;
    expect(value(path("o", "admin"), { o })).toBeUndefined();
    expect(value(path("o", "__proto__", "admin"), { o })).toBe(true);
    expect(value(path("o", "constructor", "prototype"), { o })).toBe(1);
    expect(polluted().admin).toBeUndefined();
  });

  it("object literals and Object.fromEntries define `__proto__` as data", () => {
    const lit1 = obj(prop("__proto__", obj(prop("admin", lit(true)))));
    expect(value(mem(lit1, "admin"))).toBeUndefined();
    expect(value(lit1)).toEqual(JSON.parse('{"__proto__":{"admin":true}}'));
    const fe = builtin("Object.fromEntries", lit([["__proto__", { admin: true }]]));
    expect(value(mem(fe, "admin"))).toBeUndefined();
    expect(value(builtin("Object.keys", fe))).toEqual(["__proto__"]);
    expect(value(mem(builtin("JSON.parse", lit('{"__proto__":{"admin":1}}')), "admin"))).toBeUndefined();
    expect(polluted().admin).toBeUndefined();
  });

  it("assignments through `__proto__` cannot reach Object.prototype", () => {
    const setThrough = workflow([], [block(ret(v("o")), [assign("o", obj()), assign("o", lit(1), "__proto__", "polluted")])]);
    const s1 = runSync(setThrough);
    expect(s1.status).toBe("failed");
    expect(s1.error).toMatchObject({ name: "TypeError", message: "Cannot set properties of undefined (setting 'polluted')" });

    const setOwnProto = workflow([], [block(ret(v("o")), [assign("o", obj()), assign("o", obj(prop("x", lit(1))), "__proto__")])]);
    const s2 = runSync(setOwnProto);
    expect(s2.status).toBe("completed");
    expect(JSON.stringify(s2.result)).toBe('{"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(s2.result)).toBe(proto());
    expect((s2.result as Record<string, unknown>).x).toBeUndefined();
    expect(polluted().polluted).toBeUndefined();
    expect(polluted().x).toBeUndefined();
  });

  it("a variable named __proto__ is an ordinary variable", () => {
    const s = runSync(workflow([], [block(ret(v("__proto__")), [assign("__proto__", lit({ a: 1 }))])]));
    expect(s.result).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(s.vars)).toBe(proto());
    expect(Object.keys(s.vars)).toEqual(["__proto__"]);
  });

  it("prototype methods are not callable as methods", () => {
    expect(failure(method(v("s"), "constructor"), { s: "x" })).toEqual({ name: "TypeError", message: "s.constructor is not a function" });
    expect(failure(method(v("o"), "hasOwnProperty", [lit("a")]), { o: {} })).toEqual({ name: "TypeError", message: "o.hasOwnProperty is not a function" });
    expect(failure(method(v("s"), "__defineGetter__"), { s: "x" })).toEqual({ name: "TypeError", message: "s.__defineGetter__ is not a function" });
  });

  it("user data shaped like a handle is not a handle", () => {
    const s = runSync(returning(v("r"), ["h"], [awaitOne(v("h"), "r")]), { h: { "%handle": "c1" } });
    expect(s.status).toBe("completed");
    expect(s.result).toEqual({ "%handle": "c1" });
  });
});
