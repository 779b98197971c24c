/**
 * CompileCache on its own: packs are served only to the compiler that wrote them,
 * read once per instance, written at flush() or a second after the last set(),
 * merged every eighth flush without modules whose file is gone, and made again
 * when the folder disappears. (Through the bundlers: bundler-cache.test.ts.)
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { CompileCache, compilerFingerprint, type CachedCompile } from "../plugin/pipeline/compile-cache.ts";
import { createProject, type TempProject } from "./helpers/bundler-project.ts";

describe("CompileCache", () => {
  let project: TempProject;
  beforeAll(() => {
    project = createProject("compile-cache", {});
  });
  afterAll(() => project?.remove());

  test("an entry written by another compiler is not served", () => {
    const dir = project.path("cache-fingerprint");
    const manifest = { name: "w", hash: "h", file: "w.h.json", source: "a.ts", params: ["n"], actions: ["x"] };
    const workflows = [{ canonical: '{"a":"\u00e9\\n"}', fileName: "w.h.json", text: '{"a":"\u00e9\\n"}\n', manifest }];
    const actions = [{ name: "x", file: "/r/acts.ts", exportName: "x" }];
    const compile: CachedCompile = { source: "s", root: "/r", reads: [], resolutions: [], workflows, actions, layout: null, errors: [], warnings: [] };
    const writer = new CompileCache(dir, () => "compiler-a");
    writer.set("/r/a.ts", compile);
    writer.flush();
    expect(new CompileCache(dir, () => "compiler-a").get("/r/a.ts")).toEqual(compile);
    expect(new CompileCache(dir, () => "compiler-b").get("/r/a.ts")).toBeNull();
    // No fingerprint (the compiler's sources cannot be read): no cache at all.
    expect(new CompileCache(dir, () => null).get("/r/a.ts")).toBeNull();
    const off = new CompileCache(join(dir, "unused"), () => null);
    off.set("/r/a.ts", compile);
    off.flush();
    expect(existsSync(join(dir, "unused"))).toBe(false);
    expect(compilerFingerprint()).toMatch(/^[0-9a-f]{40}$/);
    expect(compilerFingerprint()).toBe(compilerFingerprint());
  });

  const entry = (source: string): CachedCompile => ({ source, root: "/r", reads: [], resolutions: [], workflows: [], actions: [], layout: null, errors: [], warnings: [] });

  test("packs are read once per instance; a folder deleted under a long-lived cache is made again at the next flush", () => {
    const dir = project.path("cache-deleted");
    const cache = new CompileCache(dir, () => "compiler-a");
    expect(cache.get("/r/a.ts")).toBeNull();
    cache.set("/r/a.ts", entry("a"));
    expect(cache.get("/r/a.ts")).toEqual(entry("a")); // not yet written: served from memory
    expect(existsSync(dir)).toBe(false);
    cache.flush();
    expect(readdirSync(dir)).toHaveLength(1);
    rmSync(dir, { recursive: true });
    cache.set("/r/b.ts", entry("b"));
    cache.flush();
    expect(readdirSync(dir)).toHaveLength(1);
    expect(new CompileCache(dir, () => "compiler-a").get("/r/b.ts")).toEqual(entry("b"));
    // Written by another instance after this one read the folder: a miss here (a compile), served to a new instance.
    const other = new CompileCache(dir, () => "compiler-a");
    other.set("/r/c.ts", entry("c"));
    other.flush();
    expect(cache.get("/r/c.ts")).toBeNull();
    expect(new CompileCache(dir, () => "compiler-a").get("/r/c.ts")).toEqual(entry("c"));
  });

  test("every 8 flushes the packs merge into one, leaving out modules whose file is gone; other processes' newer packs stay", () => {
    const dir = project.path("cache-merge");
    const files = Array.from({ length: 9 }, (_, i) => project.path(`merge/m${i}.ts`));
    for (const f of files) project.write(f.slice(project.dir.length + 1), "export {};\n");
    const cache = new CompileCache(dir, () => "compiler-a");
    for (let i = 0; i < 8; i++) {
      cache.set(files[i], entry(`v1-${i}`));
      if (i === 3) cache.set(files[0], entry("v2-0")); // newer than the first pack's
      cache.flush();
      if (i === 4) {
        const other = new CompileCache(dir, () => "compiler-a");
        other.set(project.path("merge/other.ts"), entry("other"));
        other.flush();
      }
    }
    expect(readdirSync(dir)).toHaveLength(9);
    expect(new CompileCache(dir, () => "compiler-a").get(files[0])).toEqual(entry("v2-0"));
    rmSync(files[1]);
    cache.set(files[8], entry("v1-8"));
    cache.flush();
    // This instance's 8 packs became one; the other instance's pack is not this one's to remove.
    expect(readdirSync(dir)).toHaveLength(2);
    const fresh = new CompileCache(dir, () => "compiler-a");
    expect(files.map((f) => fresh.get(f)?.source ?? null)).toEqual(["v2-0", null, "v1-2", "v1-3", "v1-4", "v1-5", "v1-6", "v1-7", "v1-8"]);
    expect(fresh.get(project.path("merge/other.ts"))).toEqual(entry("other"));
  });

  test("with no end of build (a dev server), what was set is written a second later", () => {
    const dir = project.path("cache-timer");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const cache = new CompileCache(dir, () => "compiler-a");
      cache.set("/r/a.ts", entry("a"));
      cache.set("/r/b.ts", entry("b"));
      vi.advanceTimersByTime(999);
      expect(existsSync(dir)).toBe(false);
      vi.advanceTimersByTime(1);
      expect(readdirSync(dir)).toHaveLength(1);
      expect(new CompileCache(dir, () => "compiler-a").get("/r/b.ts")).toEqual(entry("b"));
    } finally {
      vi.useRealTimers();
    }
  });
});
