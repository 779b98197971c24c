import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * Vite's own TypeScript transform forces `keepNames: false`, and its module
 * rewriting then renames `const greet = action(async function greet() {})`'s inner
 * function to `greet2`. Actions are registered under their function's name, so the
 * suite transforms TypeScript itself with names kept.
 */
function typescriptKeepingNames(): Plugin {
  return {
    name: "cairn-test:typescript-keep-names",
    enforce: "pre",
    async transform(code, id) {
      if (!/\.(m?ts|tsx)$/.test(id.split("?")[0])) return null;
      const out = await transform(code, {
        loader: id.endsWith(".tsx") ? "tsx" : "ts",
        format: "esm",
        target: "node20",
        keepNames: true,
        sourcemap: true,
        sourcefile: id,
      });
      return { code: out.code, map: out.map };
    },
  };
}

/**
 * The plugin entry points (`cairnjs/vite`, ...) resolve to the built JavaScript in
 * dist/ by default, which bundler CLIs load with no TypeScript loader; the suite
 * tests the sources, through the condition package.json maps to them.
 */
const conditions = ["cairn-source", "module", "node", "development|production"];

export default defineConfig({
  esbuild: false,
  plugins: [typescriptKeepingNames()],
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["cairn-source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/database.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
