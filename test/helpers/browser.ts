/**
 * The UI tests' browser: Debian's Chromium (`apt-get install chromium`), driven by
 * playwright-core, which never downloads a browser. CAIRN_CHROMIUM points at another
 * Chromium binary.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CAIRN_CHROMIUM || "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the UI tests need Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (Debian/Ubuntu; .ci/run does), ` +
        "or set CAIRN_CHROMIUM to a Chromium binary",
    );
  }
  // --no-sandbox: CI and containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
}
