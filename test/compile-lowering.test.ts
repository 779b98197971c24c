import { describe, expect, it } from "vitest";
import { programOf } from "./compile-support.ts";

describe("lowering: calls and awaits", () => {
  it("lowers sequential awaits to call + await one, binding results directly", () => {
    expect(programOf(`const r = await a(x);\nconst s = await b(r, y);\nreturn s;`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[x]
        r = await one %h1
        %h2 = call c2 b[r, y]
        s = await one %h2
        return s"
    `);
  });

  it("numbers call sites in source order and keeps a handle for un-awaited calls", () => {
    expect(programOf(`const p = a(x);\nconst q = b(y);\nconst [r1, r2] = await Promise.all([p, q, a(3)]);\nconst r3 = await p;\nreturn r1 + r2 + r3;`)).toMatchInlineSnapshot(`
      "b0:
        p = call c1 a[x]
        q = call c2 b[y]
        %h1 = call c3 a[3]
        %t1 = await all [p, q, %h1]
        %t2 = [...%t1]
        r1 = %t2[0]
        r2 = %t2[1]
        r3 = await one p
        return ((r1 + r2) + r3)"
    `);
  });

  it("dispatches Promise.allSettled elements left to right and passes plain values through", () => {
    expect(programOf(`const rs = await Promise.allSettled([a(1), x, b(2)]);\nreturn rs;`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[1]
        %h2 = call c2 b[2]
        rs = await allSettled [%h1, x, %h2]
        return rs"
    `);
  });

  it("lowers Promise.all(xs.map(...)) to a loop whose counter makes each call id distinct", () => {
    expect(programOf(`const ys = await Promise.all(items.map((it, i) => runAction(a(it, i), { timeout: "30s" })));\nreturn ys;`)).toMatchInlineSnapshot(`
      "b0:
        %o1 = items
        %a1 = []
        %i1 = 0
        jump b1
      b1:
        branch (%i1 < %o1["length"]) ? b2 : b3
      b2:
        it = %o1[%i1]
        i = %i1
        %h1 = call c1@%i1 a[it, i] options {"timeout": "30s"}
        %a1.push(...[%h1])
        %i1 = (%i1 + 1)
        jump b1
      b3:
        ys = await all %a1
        return ys"
    `);
  });

  it("accepts async arrows, awaited calls and block bodies in the fan-out callback", () => {
    const forms = [
      `return await Promise.all(items.map(async (it) => await a(it)));`,
      `return await Promise.all(items.map((it) => { return a(it); }));`,
      `return await Promise.all(items.map(function (it) { return a(it); }));`,
    ];
    const programs = forms.map(programOf);
    expect(programs[1]).toBe(programs[0]);
    expect(programs[2]).toBe(programs[0]);
    expect(programs[0]).toContain("%h1 = call c1@%i1 a[it]");
  });

  it("passes per-call options of runAction, including a RetryPolicy", () => {
    expect(programOf(`const policy = { attempts: 2 };\nreturn await runAction(a(x), { retry: new RetryPolicy(policy), timeout: 500 });`)).toMatchInlineSnapshot(`
      "b0:
        policy = {"attempts": 2}
        %h1 = call c1 a[x] options {"retry": RetryPolicy(policy), "timeout": 500}
        %t1 = await one %h1
        return %t1"
    `);
  });

  it("lowers sleep and setTimeout-free durations to the sleep instruction", () => {
    expect(programOf(`await sleep("5s");\nawait sleep(x * 1000);`)).toMatchInlineSnapshot(`
      "b0:
        sleep "5s"
        sleep (x * 1000)
        return undefined"
    `);
  });
});

describe("lowering: evaluation order (ANF)", () => {
  it("spills earlier operands with observable evaluation before a later await", () => {
    expect(programOf(`return x.k * 2 + (await a()) - (await b());`)).toMatchInlineSnapshot(`
      "b0:
        %t1 = (x["k"] * 2)
        %h1 = call c1 a[]
        %t2 = await one %h1
        %t3 = (%t1 + %t2)
        %h2 = call c2 b[]
        %t4 = await one %h2
        return (%t3 - %t4)"
    `);
  });

  it("keeps stable operands (variables, literals) in place", () => {
    expect(programOf(`return [x, 1, await a(x), y];`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[x]
        %t1 = await one %h1
        return [x, 1, %t1, y]"
    `);
  });

  it("evaluates object keys and values in source order", () => {
    expect(programOf(`return { k: x.p, [y]: await a(), ...items, last: await b() };`)).toMatchInlineSnapshot(`
      "b0:
        %t1 = x["p"]
        %h1 = call c1 a[]
        %t2 = await one %h1
        %h2 = call c2 b[]
        %t3 = await one %h2
        return {"k": %t1, y: %t2, ...items, "last": %t3}"
    `);
  });

  it("spills a method receiver when an argument awaits", () => {
    expect(programOf(`return x.name.padStart(await a(), "-");`)).toMatchInlineSnapshot(`
      "b0:
        %t1 = x["name"]
        %h1 = call c1 a[]
        %t2 = await one %h1
        return %t1.padStart(%t2, "-")"
    `);
  });

  it("awaits in template literals and in call arguments", () => {
    expect(programOf(`return \`\${x.y} and \${await a(await b(y))}\`;`)).toMatchInlineSnapshot(`
      "b0:
        %t1 = x["y"]
        %h1 = call c1 b[y]
        %t2 = await one %h1
        %h2 = call c2 a[%t2]
        %t3 = await one %h2
        return \`\${%t1} and \${%t3}\`"
    `);
  });
});

describe("lowering: short-circuit and conditionals", () => {
  it("turns && / || / ?? with an awaiting right side into branches", () => {
    expect(programOf(`const p = x && await a();\nconst q = x || await b();\nconst r = x ?? await a(1);\nreturn [p, q, r];`)).toMatchInlineSnapshot(`
      "b0:
        %t1 = x
        branch %t1 ? b1 : b2
      b1:
        %h1 = call c1 a[]
        %t1 = await one %h1
        jump b2
      b2:
        p = %t1
        %t2 = x
        branch %t2 ? b4 : b3
      b3:
        %h2 = call c2 b[]
        %t2 = await one %h2
        jump b4
      b4:
        q = %t2
        %t3 = x
        branch (%t3 == null) ? b5 : b6
      b5:
        %h3 = call c3 a[1]
        %t3 = await one %h3
        jump b6
      b6:
        r = %t3
        return [p, q, r]"
    `);
  });

  it("keeps pure logical operators as expressions", () => {
    expect(programOf(`const p = (await a()) && x || y;\nreturn p ?? 3;`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[]
        %t1 = await one %h1
        p = ((%t1 && x) || y)
        return (p ?? 3)"
    `);
  });

  it("turns a ternary with an awaiting branch into a branch", () => {
    expect(programOf(`return x > 1 ? await a(x) : await b(y);`)).toMatchInlineSnapshot(`
      "b0:
        branch (x > 1) ? b1 : b2
      b1:
        %h1 = call c1 a[x]
        %t1 = await one %h1
        jump b3
      b2:
        %h2 = call c2 b[y]
        %t1 = await one %h2
        jump b3
      b3:
        return %t1"
    `);
  });

  it("lowers if / else if / else", () => {
    expect(programOf(`if (x >= 75) { return await a(x); } else if (x >= 25) { return await b(x); } else { return 0; }`)).toMatchInlineSnapshot(`
      "b0:
        branch (x >= 75) ? b1 : b2
      b1:
        %h1 = call c1 a[x]
        %t1 = await one %h1
        return %t1
      b2:
        branch (x >= 25) ? b3 : b4
      b3:
        %h2 = call c2 b[x]
        %t2 = await one %h2
        return %t2
      b4:
        return 0"
    `);
  });

  it("branches on an awaited condition", () => {
    expect(programOf(`if (await a(x)) { y = 1; }\nreturn y;`)).toMatchInlineSnapshot(`
      "b0:
        %h1 = call c1 a[x]
        %t1 = await one %h1
        branch %t1 ? b1 : b2
      b1:
        y = 1
        jump b2
      b2:
        return y"
    `);
  });
});
