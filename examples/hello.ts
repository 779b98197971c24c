// The smallest useful workflow: two actions, one feeding the next.
//   npx cairn run examples/hello.ts --local
//   npx cairn run examples/hello.ts --local --input '{"name": "Ada"}'
import { action, workflow } from "cairnjs";

/** Actions are ordinary async functions; they run once per call, with retries. */
export const greet = action(async function greet(name: string): Promise<string> {
  return `Hello, ${name}!`;
});

export const shout = action(async function shout(text: string): Promise<string> {
  return text.toUpperCase();
});

/** The workflow body is compiled to IR; each `await` on an action is a durable step. */
export const hello = workflow(async function hello(name?: string) {
  const greeting = await greet(name ?? "world");
  const loud = await shout(greeting);
  return { greeting, loud };
});
