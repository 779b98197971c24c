/**
 * `cairn graph` and the flow graph under it: drawn from the compiled program, the
 * same from a .ts file, an artifact .json and an artifact directory, in Mermaid and
 * DOT, with exact output; bad targets and formats are usage errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createManifest, serializeArtifact, serializeManifest, artifactFileName } from "../ir-schema/index.ts";
import { graph } from "../cli/commands/graph.ts";
import { UsageError } from "../cli/exit-codes.ts";
import { flowGraph } from "../runtime/graph/index.ts";
import { compileFixture } from "./helpers/compiled.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";
import { readFileSync } from "node:fs";

const APPROVAL = join(REPO_ROOT, "examples/approval.ts");
const approve = compileFixture(APPROVAL, readFileSync(APPROVAL, "utf8")).entry("approve");

async function run(target: string, options: { workflow?: string; format?: string }) {
  let stdout = "";
  let stderr = "";
  const code = await graph(target, options, REPO_ROOT, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const MERMAID = `flowchart TD
  b0["start (line 19)<br/>publish #quot;stage#quot; = #quot;waiting for approval#quot;<br/>receive #quot;approval#quot; (timeout #quot;3d#quot;)"]
  b1(["b1 (line 22)<br/>publish #quot;stage#quot; = #quot;rejected#quot;<br/>return {…}"])
  b2(["b2 (line 25)<br/>publish #quot;stage#quot; = #quot;charging#quot;<br/>child charge(orderId)<br/>publish #quot;stage#quot; = #quot;done#quot;<br/>return {…}"])
  b0 -->|"answer === null || !answer.ok"| b1
  b0 -->|"else"| b2
`;

describe("cairn graph", () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-graph-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("draws a .ts file's workflow as Mermaid, exactly", async () => {
    expect(await run("examples/approval.ts", { workflow: "approve" })).toEqual({ code: 0, stdout: MERMAID, stderr: "" });
  });

  it("draws the same graph from an artifact .json and from an artifact directory, also as DOT", async () => {
    writeFileSync(join(dir, "approve.json"), serializeArtifact(approve));
    expect((await run(join(dir, "approve.json"), {})).stdout).toBe(MERMAID);
    writeFileSync(join(dir, artifactFileName(approve)), serializeArtifact(approve));
    writeFileSync(join(dir, "manifest.json"), serializeManifest(createManifest([approve])));
    const dot = await run(dir, { format: "dot" });
    expect(dot.stdout).toBe(`digraph "approve" {
  node [shape=box, fontname=monospace];
  b0 [label="start (line 19)\\npublish \\"stage\\" = \\"waiting for approval\\"\\nreceive \\"approval\\" (timeout \\"3d\\")"];
  b1 [label="b1 (line 22)\\npublish \\"stage\\" = \\"rejected\\"\\nreturn {…}", style=rounded];
  b2 [label="b2 (line 25)\\npublish \\"stage\\" = \\"charging\\"\\nchild charge(orderId)\\npublish \\"stage\\" = \\"done\\"\\nreturn {…}", style=rounded];
  b0 -> b1 [label="answer === null || !answer.ok"];
  b0 -> b2 [label="else"];
}
`);
  });

  it("catches are dotted edges to their handler, with the bound name", () => {
    const g = flowGraph(compileFixture(join(REPO_ROOT, "fixtures/accept/child-workflows/input.ts"), readFileSync(join(REPO_ROOT, "fixtures/accept/child-workflows/input.ts"), "utf8")).entry("order"));
    const catches = g.edges.filter((e) => e.kind === "catch");
    expect(catches.length).toBeGreaterThan(0);
    expect(new Set(catches.map((e) => e.label))).toEqual(new Set(["err"]));
    expect(g.nodes.flatMap((n) => n.steps)).toEqual(expect.arrayContaining(["child pick(sku, 2)", "child Pack(picked)", "child countdown(depth)"]));
  });

  it("says what is wrong with a target or a format", async () => {
    await expect(run("examples/approval.ts", { format: "svg" })).rejects.toThrow(new UsageError("--format must be mermaid or dot, not svg"));
    await expect(run("examples/approval.ts", {})).rejects.toThrow("examples/approval.ts defines several workflows (charge, approve); choose one with --workflow <Name>");
    await expect(run("nope.ts", {})).rejects.toThrow(new UsageError("no such file or directory: nope.ts"));
    writeFileSync(join(dir, "bad.json"), "{}");
    await expect(run(join(dir, "bad.json"), {})).rejects.toThrow(UsageError);
    writeFileSync(join(dir, "bad.ts"), `import { workflow } from "cairnjs";\nexport const w = workflow(async function w() { return Date.now(); });\n`);
    const bad = await run(join(dir, "bad.ts"), {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.ts:2:\d+: error CAIRN100/);
  });
});
