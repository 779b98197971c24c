import { describe, expect, it } from "vitest";
import { lowerBody, programOf } from "./compile-support.ts";

describe("lowering: loops", () => {
  it("gives every loop a hidden counter listed in the iter of its calls, outermost first", () => {
    expect(programOf(`for (const it of items) {\n  for (let i = 0; i < 3; i++) {\n    if (i === 1) continue;\n    if (it === 2) break;\n    await a(it, i);\n  }\n}`)).toMatchInlineSnapshot(`
      "b0:
        %o1 = iter(items)
        %i1 = 0
        jump b1
      b1:
        %n1 = next %o1
        branch %n1["done"] ? b4 : b2
      b2:
        it = %n1["value"]
        i = 0
        %i2 = 0
        jump b5
      b3:
        %i1 = (%i1 + 1)
        jump b1
      b4:
        return undefined
      b5:
        branch (i < 3) ? b6 : b3
      b6:
        branch (i === 1) ? b7 : b8
      b7:
        i = (i + 1)
        %i2 = (%i2 + 1)
        jump b5
      b8:
        branch (it === 2) ? b3 : b9
      b9:
        %h1 = call c1@%i1.%i2 a[it, i]
        _ = await one %h1
        jump b7"
    `);
  });

  it("lowers while with break, do...while with the test at the latch", () => {
    expect(programOf(`let i = 0;\ndo { i++; await a(i); } while (i < 3);\nwhile (true) { if (await b(i)) break; }\nreturn i;`)).toMatchInlineSnapshot(`
      "b0:
        i = 0
        %i1 = 0
        jump b1
      b1:
        i = (i + 1)
        %h1 = call c1@%i1 a[i]
        _ = await one %h1
        jump b2
      b2:
        %i1 = (%i1 + 1)
        branch (i < 3) ? b1 : b3
      b3:
        %i2 = 0
        jump b4
      b4:
        branch true ? b5 : b7
      b5:
        %h2 = call c2@%i2 b[i]
        %t1 = await one %h2
        branch %t1 ? b7 : b6
      b6:
        %i2 = (%i2 + 1)
        jump b4
      b7:
        return i"
    `);
  });

  it("iterates entries() with a destructured loop variable, and for...in over Object.keys", () => {
    expect(programOf(`for (const [i, v] of items.entries()) { await a(i, v); }\nfor (const k in x) { await b(k); }`)).toMatchInlineSnapshot(`
      "b0:
        %o1 = iter(items.entries())
        %i1 = 0
        jump b1
      b1:
        %n1 = next %o1
        branch %n1["done"] ? b4 : b2
      b2:
        %t1 = [...%n1["value"]]
        i = %t1[0]
        v = %t1[1]
        %h1 = call c1@%i1 a[i, v]
        _ = await one %h1
        jump b3
      b3:
        %i1 = (%i1 + 1)
        jump b1
      b4:
        %o2 = iter(Object.keys((x ?? {})))
        %i2 = 0
        jump b5
      b5:
        %n2 = next %o2
        branch %n2["done"] ? b8 : b6
      b6:
        k = %n2["value"]
        %h2 = call c2@%i2 b[k]
        _ = await one %h2
        jump b7
      b7:
        %i2 = (%i2 + 1)
        jump b5
      b8:
        return undefined"
    `);
  });

  it("returns from inside a loop and supports labelled continue", () => {
    expect(programOf(`outer: for (const r of items) {\n  for (const c of r) {\n    if (c === x) return await a(c);\n    if (c) continue outer;\n  }\n}\nreturn null;`)).toMatchInlineSnapshot(`
      "b0:
        %o1 = iter(items)
        %i1 = 0
        jump b1
      b1:
        %n1 = next %o1
        branch %n1["done"] ? b4 : b2
      b2:
        r = %n1["value"]
        %o2 = iter(r)
        %i2 = 0
        jump b5
      b3:
        %i1 = (%i1 + 1)
        jump b1
      b4:
        return null
      b5:
        %n2 = next %o2
        branch %n2["done"] ? b3 : b6
      b6:
        c = %n2["value"]
        branch (c === x) ? b8 : b9
      b7:
        %i2 = (%i2 + 1)
        jump b5
      b8:
        %h1 = call c1@%i1.%i2 a[c]
        %t1 = await one %h1
        return %t1
      b9:
        branch c ? b3 : b7"
    `);
  });

  it("gives calls in a loop test the loop counter, so each evaluation has its own id", () => {
    const program = programOf(`while (await a(x)) { x = x + 1; }\nfor (let i = 0; await b(i); i++) {}`);
    expect(program.split("\n").filter((l) => l.includes("call"))).toEqual(["  %h1 = call c1@%i1 a[x]", "  %h2 = call c2@%i2 b[i]"]);
  });

  it("lowers switch with fall-through, break and default", () => {
    expect(programOf(`switch (x.kind) {\n  case 1:\n    await a(1);\n  case 2:\n    await a(2);\n    break;\n  default:\n    return 3;\n}\nreturn 4;`)).toMatchInlineSnapshot(`
      "b0:
        %t1 = x["kind"]
        branch (%t1 === 1) ? b1 : b5
      b1:
        %h1 = call c1 a[1]
        _ = await one %h1
        jump b2
      b2:
        %h2 = call c2 a[2]
        _ = await one %h2
        jump b4
      b3:
        return 3
      b4:
        return 4
      b5:
        branch (%t1 === 2) ? b2 : b3"
    `);
  });
});

describe("lowering: try/catch", () => {
  it("gives blocks inside try the catch handler and the catch body the outer one", () => {
    expect(programOf(`try {\n  try {\n    await a(1);\n  } catch (inner) {\n    if (inner instanceof NotFound) return 1;\n    throw inner;\n  }\n  await b(2);\n} catch (e) {\n  if (e instanceof TypeError) return 2;\n  throw e;\n}\ntry { await b(); } catch { }\nreturn 0;`)).toMatchInlineSnapshot(`
      "b0:
        jump b4
      b1:
        branch isError(e, TypeError) ? b7 : b8
      b2: (catch -> b1 as e)
        branch isError(inner, NotFound) ? b5 : b6
      b3: (catch -> b1 as e)
        %h2 = call c2 b[2]
        _ = await one %h2
        jump b11
      b4: (catch -> b2 as inner)
        %h1 = call c1 a[1]
        _ = await one %h1
        jump b3
      b5: (catch -> b1 as e)
        return 1
      b6: (catch -> b1 as e)
        throw inner
      b7:
        return 2
      b8:
        throw e
      b9:
        jump b10
      b10:
        return 0
      b11: (catch -> b9 as %e1)
        %h3 = call c3 b[]
        _ = await one %h3
        jump b10"
    `);
  });

  it("lists the matched error classes in the artifact", () => {
    const artifact = lowerBody(`try { await a(); } catch (e) { if (e instanceof NotFound || e instanceof AppError || e instanceof RangeError) return 1; throw e; }`);
    expect(artifact.errors).toEqual(["AppError", "NotFound", "RangeError"]);
  });

  it("renames shadowed bindings to unique IR names", () => {
    expect(programOf(`const v = 1;\n{ const v = 2; await a(v); }\nfor (const v of items) { await b(v); }\nreturn v;`)).toMatchInlineSnapshot(`
      "b0:
        v = 1
        v$1 = 2
        %h1 = call c1 a[v$1]
        _ = await one %h1
        %o1 = iter(items)
        %i1 = 0
        jump b1
      b1:
        %n1 = next %o1
        branch %n1["done"] ? b4 : b2
      b2:
        v$2 = %n1["value"]
        %h2 = call c2@%i1 b[v$2]
        _ = await one %h2
        jump b3
      b3:
        %i1 = (%i1 + 1)
        jump b1
      b4:
        return v"
    `);
  });
});

describe("lowering: assignments and destructuring", () => {
  it("lowers object and array patterns with defaults, rest and nesting", () => {
    expect(programOf(`let { p, q: [r, ...rest], z = await a(), w = 5, ...others } = x;\n[p, r] = [r, p];\nreturn [p, r, rest, z, w, others];`)).toMatchInlineSnapshot(`
      "b0:
        p = x["p"]
        %t1 = [...x["q"]]
        r = %t1[0]
        rest = %t1.slice(1)
        %t2 = x["z"]
        branch (%t2 === undefined) ? b1 : b2
      b1:
        %h1 = call c1 a[]
        %t3 = await one %h1
        %t2 = %t3
        jump b2
      b2:
        z = %t2
        w = ((x["w"] === undefined) ? 5 : x["w"])
        others = Object.fromEntries(Object.entries(x).filter((%p1) => !["p", "q", "z", "w"].includes(%p1[0])))
        %t4 = [r, p]
        p = %t4[0]
        r = %t4[1]
        return [p, r, rest, z, w, others]"
    `);
  });

  it("lowers member assignment, compound and logical assignment, ++ and push", () => {
    expect(programOf(`x.y.z = await a(x);\nitems[0] += 1;\nx.n++;\ny ??= await b();\ny ||= 2;\nitems.push(x, ...items);\nx.list.push(1);\nreturn items;`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[x]
        %t1 = await one %h1
        x["y"]["z"] = %t1
        items[0] = (items[0] + 1)
        x["n"] = (x["n"] + 1)
        branch (y == null) ? b1 : b2
      b1:
        %h2 = call c2 b[]
        y = await one %h2
        jump b2
      b2:
        y = (y || 2)
        items.push(...[x, ...items])
        x["list"].push(...[1])
        return items"
    `);
  });

  it("destructures the result of Promise.all", () => {
    expect(programOf(`const [first, second] = await Promise.all([a(1), b(2)]);\nreturn { first, second };`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[1]
        %h2 = call c2 b[2]
        %t1 = await all [%h1, %h2]
        %t2 = [...%t1]
        first = %t2[0]
        second = %t2[1]
        return {"first": first, "second": second}"
    `);
  });
});

describe("lowering: pure expressions", () => {
  it("lowers map/filter comprehensions to arrayFn, builtins, methods and globals", () => {
    expect(programOf(`const doubled = items.map((v) => v * 2);\nconst big = items.filter((v, i) => { return v > i; });\nconst n = x?.a?.b;\nconst m = x?.trim();\nreturn { doubled, big, n, m, t: typeof x, neg: -y, u: undefined, nan: NaN, max: Math.max(...items, Math.PI), s: String(x).toUpperCase(), len: items.length };`)).toMatchInlineSnapshot(`
      "b0:
        doubled = items.map((v) => (v * 2))
        big = items.filter((v$1, i) => (v$1 > i))
        n = x?.["a"]?.["b"]
        m = x?.trim()
        return {"doubled": doubled, "big": big, "n": n, "m": m, "t": typeof x, "neg": -y, "u": undefined, "nan": NaN, "max": Math.max(...items, 3.141592653589793), "s": String(x).toUpperCase(), "len": items["length"]}"
    `);
  });
});
