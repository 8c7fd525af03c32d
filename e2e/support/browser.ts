import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const executablePath = '/usr/bin/chromium';

/** Debian's Chromium, headless. Missing Chromium fails the suite: a skipped browser test proves nothing. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing: the browser tests drive Debian's Chromium. Install it with \`apt-get install chromium\`.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
