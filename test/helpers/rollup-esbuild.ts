/**
 * TypeScript and minification for Rollup through esbuild's transform API: what
 * @rollup/plugin-typescript (or -esbuild) and a terser plugin do in a real
 * project, without extra packages. Shared by the bundler tests and bench/build.ts.
 */
import { transform } from "esbuild";
import type { Plugin } from "rollup";

export function typescript(): Plugin {
  return {
    name: "test:typescript",
    async transform(code, id) {
      if (!/\.[cm]?ts$/.test(id)) return null;
      const out = await transform(code, { loader: "ts", format: "esm", target: "es2022", sourcemap: "external", sourcefile: id });
      return { code: out.code, map: out.map };
    },
  };
}

export function minify(): Plugin {
  return {
    name: "test:minify",
    async renderChunk(code) {
      const out = await transform(code, { minify: true, format: "esm", target: "es2022", sourcemap: "external" });
      return { code: out.code, map: out.map };
    },
  };
}
