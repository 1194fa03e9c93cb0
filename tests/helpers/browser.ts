/**
 * Opens a local HTML file in headless Chromium (Debian's `chromium`, driven by playwright-core,
 * which downloads nothing) and reports what a person would notice: console errors, page
 * errors, images that did not load, and any request that tried to leave the machine.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SOPBOT_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export interface PageReport {
  readonly consoleErrors: string[];
  readonly brokenImages: string[];
  readonly networkRequests: string[];
  readonly images: number;
  readonly title: string;
  /** Text of the page, for assertions on what a reader sees. */
  readonly text: string;
}

export async function openPage(
  file: string,
  opts: {
    /** Viewport screenshots, each scrolled to an element id (`#c-C_EXEC`) or the top. */
    screenshots?: readonly { path: string; anchor?: string }[];
    width?: number;
    height?: number;
  } = {},
): Promise<PageReport> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set SOPBOT_CHROMIUM`,
    );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const networkRequests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      networkRequests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Strings, not functions: this project's types have no DOM (it runs in Node).
    const result = await page.evaluate<{
      images: number;
      broken: string[];
      title: string;
      text: string;
    }>(`(() => {
      const imgs = [...document.images];
      return {
        images: imgs.length,
        broken: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
        title: document.title,
        text: document.body.innerText,
      };
    })()`);
    for (const shot of opts.screenshots ?? []) {
      await page.evaluate(
        `(() => {
          const el = ${JSON.stringify(shot.anchor ?? null)} && document.querySelector(${JSON.stringify(shot.anchor ?? 'body')});
          if (el) el.scrollIntoView(); else window.scrollTo(0, 0);
        })()`,
      );
      await page.screenshot({ path: shot.path });
    }
    return {
      consoleErrors,
      brokenImages: result.broken,
      networkRequests,
      images: result.images,
      title: result.title,
      text: result.text,
    };
  } finally {
    await browser.close();
  }
}
