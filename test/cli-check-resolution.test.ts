/**
 * `cairn check` follows the project's own module resolution, as TypeScript and
 * Node do: tsconfig.json `paths` and `baseUrl` (read by get-tsconfig: JSONC,
 * `extends`, a target whose text holds `", ]"`), and package.json `imports`
 * (`#actions`, `#lib/*`). A workflow calling actions imported each way compiles,
 * with every action found.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cairn, tempProject } from "./cli-harness.ts";

const action = (name: string) => `import { action } from "cairnjs";\nexport const ${name} = action(async function ${name}(n: number) { return n + 1; });\n`;

const FLOW = `import { workflow } from "cairnjs";
import { viaAlias } from "@/aliased";
import { viaBase } from "lib/based";
import { viaOdd } from "@odd/odd";
import { viaImports } from "#actions";
import { viaPattern } from "#lib/patterned";

export const flow = workflow(async function flow(n: number) {
  return await viaPattern(await viaImports(await viaOdd(await viaBase(await viaAlias(n)))));
});
`;

describe("cairn check resolves imports as the project configures them", () => {
  const project = tempProject("outside", {
    "package.json": JSON.stringify({ name: "app", type: "module", imports: { "#actions": "./src/imported.ts", "#lib/*": "./src/lib/*.ts" } }),
    "tsconfig.base.json": `{
  // JSONC, extended by tsconfig.json
  "compilerOptions": { "baseUrl": "./src", },
}`,
    "tsconfig.json": `{
  "extends": "./tsconfig.base.json",
  "compilerOptions": {
    /* a folder whose name holds a comma and a bracket */
    "paths": { "@/*": ["./*"], "@odd/*": ["./odd, ]/*"], },
  },
}`,
    "src/aliased.ts": action("viaAlias"),
    "src/lib/based.ts": action("viaBase"),
    "src/odd, ]/odd.ts": action("viaOdd"),
    "src/imported.ts": action("viaImports"),
    "src/lib/patterned.ts": action("viaPattern"),
    "src/flow.ts": FLOW,
  });
  afterAll(() => project.cleanup());

  it("finds the actions behind tsconfig paths, baseUrl and package.json imports", async () => {
    expect(await cairn(["check", "src/flow.ts"], project.dir)).toEqual({
      code: 0,
      stdout: "",
      stderr: "cairn check: 1 file compiled, 1 workflow, 0 errors, 0 warnings\n",
    });
  });
});
