// The browser example (examples/browser/): the page trains the spirals MLP in Chromium,
// served with COOP/COEP by examples/browser/serve.mjs; the loss must fall, the accuracy
// rise, and the loss chart must have been drawn on the canvas.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serve, type Served } from '../../examples/browser/serve.mjs';
import { launchChromium } from './browser.js';

interface DemoState {
  backend: string | null;
  losses: number[];
  accuracy: number | null;
  done: boolean;
  error: string | null;
}

let browser: Browser;
let server: Served;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), serve({ isolated: true })]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('the example page trains in the browser and draws the loss chart', async () => {
  const page = await browser.newPage();
  const steps = 200;
  await page.goto(`${server.url}/examples/browser/?steps=${steps}`);
  await page.waitForFunction(() => (window as unknown as { mlxjsDemo?: DemoState }).mlxjsDemo?.done === true, null, { timeout: 180000 });
  const state = await page.evaluate(() => (window as unknown as { mlxjsDemo: DemoState }).mlxjsDemo);
  expect(state.error).toBeNull();
  expect(state.backend).toBe('wasm');
  expect(state.losses.length).toBe(steps);
  // ln(3) ~ 1.1 for a guess among three classes; training must take it well below.
  expect(state.losses[0]!).toBeGreaterThan(0.8);
  expect(state.losses.at(-1)!).toBeLessThan(state.losses[0]! / 3);
  expect(state.accuracy!).toBeGreaterThan(0.85);
  // The chart: pixels in the loss curve's colour (#d04a02) were painted on the canvas.
  const curvePixels = await page.evaluate(() => {
    const canvas = document.getElementById('loss') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 150 && data[i + 1]! < 120 && data[i + 2]! < 60) n++;
    return n;
  });
  expect(curvePixels).toBeGreaterThan(300);
  expect(await page.textContent('#status')).toMatch(/training accuracy .*cross-origin isolated/);
  await page.close();
});
