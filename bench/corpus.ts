/**
 * A synthetic but realistic corpus for the compile benchmark: each file holds
 * types, error classes, a handful of actions and two workflows (one class form,
 * one function form) exercising loops, branches, try/catch, Promise.all/allSettled
 * over `.map`, `.filter`, sleeps, per-call options and un-awaited calls. Every
 * name carries the file's index so no two files are textually identical.
 */
export interface CorpusFile {
  path: string;
  source: string;
  lines: number;
}

export function generateCorpus(root: string, targetLines: number): CorpusFile[] {
  const files: CorpusFile[] = [];
  let total = 0;
  for (let i = 0; total < targetLines; i++) {
    const source = workflowFile(i);
    const lines = source.split("\n").length;
    files.push({ path: `${root}/workflows/flow${i}.ts`, source, lines });
    total += lines;
  }
  return files;
}

function workflowFile(i: number): string {
  return `import { action, workflow, Workflow, runAction, sleep, RetryPolicy } from "cairnjs";

interface OrderItem${i} { sku: string; qty: number; price: number }
interface Order${i} { id: string; userId: string; region: string; items: OrderItem${i}[] }
interface Quote${i} { sku: string; price: number; available: boolean }
interface Profile${i} { id: string; name: string; email: string; tier: "free" | "pro" }

export class OutOfStock${i} extends Error {}
export class PaymentDeclined${i} extends Error {}

const MAX_CHARGE_ATTEMPTS_${i} = ${3 + (i % 4)};
const BULK_DISCOUNT_${i} = 0.${9 - (i % 3)};

export const loadOrder${i} = action(async function loadOrder${i}(orderId: string): Promise<Order${i}> {
  const response = await fetch(\`https://orders.example.com/\${orderId}\`);
  if (!response.ok) throw new Error(\`order \${orderId}: HTTP \${response.status}\`);
  return (await response.json()) as Order${i};
});

export const quoteItem${i} = action(async function quoteItem${i}(sku: string, region: string): Promise<Quote${i}> {
  const price = sku.length * ${i + 1};
  return { sku, price: region === "eu" ? price * 1.2 : price, available: price % 7 !== 0 };
});

export const reserveStock${i} = action(async function reserveStock${i}(sku: string, qty: number): Promise<boolean> {
  if (qty > 100) throw new OutOfStock${i}(\`\${sku}: only 100 left\`);
  return qty > 0;
});

export const chargeCard${i} = action("charge-card-${i}", async (userId: string, amount: number): Promise<string> => {
  if (amount <= 0) throw new PaymentDeclined${i}(\`refusing to charge \${amount}\`);
  return \`ch_\${userId}_\${Math.round(amount * 100)}\`;
});

export const fetchProfile${i} = action(async function fetchProfile${i}(userId: string): Promise<Profile${i}> {
  return { id: userId, name: userId.toUpperCase(), email: \`\${userId}@example.com\`, tier: "pro" };
});

export const renderDigest${i} = action(async function renderDigest${i}(name: string, greeting: string): Promise<string> {
  return \`Good \${greeting}, \${name}! Here is what happened today.\`;
});

export const sendEmail${i} = action(async function sendEmail${i}(to: string, subject: string, body: string): Promise<void> {
  console.error(\`mail to \${to}: \${subject} (\${body.length} chars)\`);
});

export const recordAudit${i} = action(async function recordAudit${i}(event: string, count: number): Promise<void> {
  console.error(\`audit \${event} \${count}\`);
});

@workflow
export class Checkout${i} extends Workflow {
  async run(orderId: string, couponCodes: string[]): Promise<{ chargeId: string | null; total: number; skipped: string[] }> {
    const order = await loadOrder${i}(orderId);
    const quotes = await Promise.all(order.items.map((item) => quoteItem${i}(item.sku, order.region)));
    const available = quotes.filter((q) => q.available);
    const skipped: string[] = [];
    let total = 0;
    for (const [index, quote] of available.entries()) {
      const item = order.items[index];
      if (item.qty <= 0) {
        skipped.push(quote.sku);
        continue;
      }
      const reserved = await this.runAction(reserveStock${i}(quote.sku, item.qty), {
        retry: { attempts: 3, delay: "1s" },
        timeout: "30s",
      });
      if (!reserved) {
        skipped.push(quote.sku);
      } else if (item.qty >= 10) {
        total += quote.price * item.qty * BULK_DISCOUNT_${i};
      } else {
        total += quote.price * item.qty;
      }
    }
    for (const code of couponCodes) {
      if (code.startsWith("HALF")) {
        total = total / 2;
      } else if (code === "FREESHIP") {
        total -= 5;
      }
    }
    let chargeId: string | null = null;
    let attempt = 0;
    while (attempt < MAX_CHARGE_ATTEMPTS_${i}) {
      try {
        chargeId = await this.runAction(chargeCard${i}(order.userId, Math.round(total * 100) / 100), {
          retry: new RetryPolicy({ attempts: 2, delay: "500ms" }),
        });
        break;
      } catch (err) {
        if (err instanceof PaymentDeclined${i}) {
          attempt += 1;
          await sleep("5m");
        } else {
          throw err;
        }
      }
    }
    const subject = chargeId ? \`Order \${order.id} confirmed\` : \`Order \${order.id} needs attention\`;
    await sendEmail${i}(order.userId, subject, \`Total: \${total.toFixed(2)}\`);
    return { chargeId, total, skipped };
  }
}

export const dailyDigest${i} = workflow(async function dailyDigest${i}(userIds: string[], hour: number) {
  const audit = recordAudit${i}("digest-start", userIds.length);
  const profiles = await Promise.all(userIds.map((id) => runAction(fetchProfile${i}(id), { timeout: 5000 })));
  const pro = profiles.filter((p) => p.tier === "pro");
  const names = pro.map((p) => p.name);
  const greeting = hour < 12 ? "morning" : hour < 18 ? "afternoon" : "evening";
  let sent = 0;
  for (let k = 0; k < names.length; k++) {
    if (k > 0 && k % 10 === 0) {
      await sleep(1000);
    }
    const body = await renderDigest${i}(names[k], greeting);
    await sendEmail${i}(pro[k].email, \`Your \${greeting} digest\`, body);
    sent++;
  }
  await audit;
  const settled = await Promise.allSettled([recordAudit${i}("digest-done", sent), renderDigest${i}("team", greeting)]);
  return { sent, skipped: profiles.length - pro.length, summary: settled[1].status === "fulfilled" ? settled[1].value : null };
});
`;
}
