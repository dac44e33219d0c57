// Chromium for the end-to-end checks: Debian's binary through playwright-core (no browser
// download), with the flags in test/browser/chromium.ts.
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../browser/chromium.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** Opens `url` and returns the text #out ends with (the app writes it once). */
export async function pageOutput(browser: Browser, url: string): Promise<string> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => (document.getElementById('out')?.textContent ?? '') !== '', null, { timeout: 60000 });
    return (await page.textContent('#out')) ?? '';
  } catch (e) {
    throw new Error(`${url}: ${e instanceof Error ? e.message : String(e)}; page errors: ${errors.join(' | ') || 'none'}`);
  } finally {
    await page.close();
  }
}

/** What the app prints: backend wasm in a browser, and the product of the known arrays. */
export const expected = { backend: 'wasm', matmul: [[19, 22], [43, 50]] };
