/**
 * Workflows the UI tests run: one failing on its second call (with markup in its
 * input, its error and its stack), one waiting for a message.
 */
import { inlineWorkflow } from "./inline.ts";

/** Markup that must always appear as text: it would set window.__pwned if it ran. */
export const HOSTILE = `<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned = 2">`;

export async function uiWorkflows(prefix: string) {
  const failing = await inlineWorkflow(`${prefix}_failing`, `
    import { action, workflow } from "cairnjs";
    export const fetchUser = action(async function fetchUser(name: string) { return { name }; });
    export const chargeCard = action(async function chargeCard(user: { name: string }) {
      const e = new Error("card declined for " + user.name);
      // A caller's frame naming the user, under the action's own: markup in a stack must
      // show as text too. (cairn's frames further down are cut from the stored stack.)
      const [head, own, ...rest] = e.stack!.split("\\n");
      e.stack = [head, own, "    at " + user.name + " (hostile.ts:1:1)", ...rest].join("\\n");
      throw e;
    });
    export const ${prefix}Checkout = workflow(async function ${prefix}Checkout(name: string) {
      const user = await fetchUser(name);
      if (user.name.length > 3) {
        const receipt = await chargeCard(user);
        return receipt;
      }
      return null;
    });
  `);
  const waiting = await inlineWorkflow(`${prefix}_waiting`, `
    import { action, receive, workflow } from "cairnjs";
    export const ${prefix}Hold = action(async function ${prefix}Hold(m: string) {
      const gate = (globalThis as { __uiGate?: Promise<void> }).__uiGate;
      if (gate) await gate;
      return "got " + m;
    });
    export const ${prefix}Approval = workflow(async function ${prefix}Approval(who: string) {
      const m = await receive<string>("approve");
      return await ${prefix}Hold(m);
    });
  `);
  return { failing, waiting };
}
