import { action, workflow, Workflow, runAction, RetryPolicy, sleep } from "cairnjs";

export class CardDeclined extends Error {}

// Stand-ins for your database, mailer and billing service.
const users: Record<string, { email: string; plan: string }> = {
  u1: { email: "ada@example.com", plan: "pro" },
  u2: { email: "bob@example.com", plan: "declined" },
  u3: { email: "cy@example.com", plan: "free" },
};

export const loadUser = action(async function loadUser(id: string): Promise<{ email: string; plan: string }> {
  const user = users[id];                         // anything: network, database, files
  if (!user) throw new Error(`no user ${id}`);
  return user;
});
export const sendEmail = action("send-email", async (to: string, subject: string): Promise<void> => {
  console.error(`mail to ${to}: ${subject}`);
});
export const charge = action(async function charge(id: string, plan: string): Promise<string> {
  if (plan === "declined") throw new CardDeclined(`card of ${id} declined`);
  return `receipt-${id}-${plan}`;
});

// Function form
export const onboarding = workflow(async function onboarding(userId: string) {
  const user = await loadUser(userId);
  await sendEmail(user.email, "Welcome!");
  await sleep("1h");
  try {
    const receipt = await runAction(charge(userId, user.plan), {
      retry: new RetryPolicy({ attempts: 5, delay: "10s", factor: 2, nonRetryable: [CardDeclined] }),
      timeout: "30s",
    });
    return { charged: true, receipt };
  } catch (err) {
    if (err instanceof CardDeclined) {
      await sendEmail(user.email, "Please update your card");
      return { charged: false, receipt: null };
    }
    throw err;
  }
});

// Class form: same rules, body in `run`, per-call options through `this.runAction`
@workflow
export class Digest extends Workflow {
  async run(userIds: string[]) {
    const users = await Promise.all(userIds.map((id) => loadUser(id)));
    const paying = users.filter((u) => u.plan !== "free");
    for (const u of paying) {
      await this.runAction(sendEmail(u.email, "Your digest"), { retry: { attempts: 2 } });
    }
    return paying.length;
  }
}
