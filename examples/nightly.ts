import { action, schedule, workflow } from "cairnjs";

// Stand-ins for your database and mailer.
export const countSignups = action(async function countSignups(region: string, day: string): Promise<number> {
  return region.length * 10 + Number(day.slice(8, 10));
});
export const mailReport = action(async function mailReport(to: string, text: string): Promise<void> {
  console.error(`mail to ${to}: ${text}`);
});

// A scheduled workflow reads its tick's time from a parameter named scheduledAt.
export const report = workflow(async function report(region: string, scheduledAt: string) {
  const day = scheduledAt.slice(0, 10);
  const signups = await countSignups(region, day);
  await mailReport(`ops-${region}@example.com`, `${signups} signups on ${day}`);
  return { region, day, signups };
});

// 03:00 in Berlin, through both DST changes; and every 10 minutes, skipping the ticks missed while no worker ran.
export const nightly = schedule("0 3 * * *", report, { timezone: "Europe/Berlin", input: { region: "eu" } });
export const frequent = schedule({ every: "10m" }, report, { input: { region: "us" }, catchUp: "none" });
