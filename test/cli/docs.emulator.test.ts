import { existsSync } from 'node:fs';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { LocalProcess, serveLocally, stopLocal } from '../harness/local-process';

/** Debian's chromium package (.ci/run installs it). */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

describe('local mode /_docs: Swagger UI in headless Chromium', () => {
  let local: LocalProcess;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM).`);
    ({ local, url } = await serveLocally(['--stack', 'orders-prod', '--no-auth']));
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await stopLocal(local);
  });

  /** Expands an operation, fills its parameters, presses Execute and returns the status the page shows. */
  async function executeFromPage(operationId: string, parameters: Record<string, string> = {}): Promise<{ status: string; body: string }> {
    const block = `#operations-default-${operationId}`;
    await page.waitForSelector(block, { timeout: 30_000 });
    await page.click(`${block} .opblock-summary`);
    for (const [name, value] of Object.entries(parameters)) {
      const input = `${block} tr[data-param-name="${name}"] input`;
      await page.waitForSelector(input);
      await page.type(input, value);
    }
    await page.click(`${block} .btn.execute`);
    const statusCell = `${block} .live-responses-table tr.response .response-col_status`;
    await page.waitForSelector(statusCell, { timeout: 30_000 });
    return page.$eval(block, (element) => ({
      status: element.querySelector('.live-responses-table tr.response .response-col_status')!.textContent!.trim(),
      body: element.querySelector('.live-responses-table tr.response .response-col_description')!.textContent ?? '',
    }));
  }

  test('startup prints the reference URL; the page renders every operation of the document, from local files', async () => {
    expect(local.output()).toContain(`${url}/_docs`);
    const external: string[] = [];
    page.on('request', (request) => {
      // Inline data: images are part of the bundle; anything else must come from local mode.
      if (!request.url().startsWith(url) && !request.url().startsWith('data:')) external.push(request.url());
    });
    await page.goto(`${url}/_docs`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const operations = await page.$$eval('.opblock', (blocks) => blocks.map((block) => block.id));
    expect(operations).toEqual(expect.arrayContaining(['operations-default-postItems', 'operations-default-getItemsById', 'operations-default-getHealth']));
    expect(external).toEqual([]);
  });

  test('a request sent from the page reaches the API: it reads and then deletes an item created beforehand', async () => {
    const created = await fetch(`${url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'from-docs', data: { n: 7 } }) });
    expect(created.status).toBe(201);

    const read = await executeFromPage('getItemsById', { id: 'from-docs' });
    expect(read.status).toBe('200');
    expect(read.body).toContain('"from-docs"');

    const deleted = await executeFromPage('deleteItemsById', { id: 'from-docs' });
    expect(deleted.status).toBe('204');
    expect((await fetch(`${url}/items/from-docs`)).status).toBe(404);
  });
});
