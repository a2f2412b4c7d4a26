import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser, seriousA11yViolations, type TestBrowser } from '../support/browser.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

/*
 * The browser app against the real `npm start` entry (workers/all.ts: API + every worker) on real
 * Redis, dynalite and s3rver, driven through Debian's Chromium. Screenshots of each step go to
 * test-results/web/ (gitignored).
 */

const SHOTS = join(process.cwd(), 'test-results', 'web');
const JIL = join(process.cwd(), 'examples', 'jil', 'nightly-etl.jil');
const CSV = join(process.cwd(), 'examples', 'csv', 'orders.csv');
const CUSTOMERS = join(process.cwd(), 'examples', 'csv', 'customers.csv');
const SECOND_KEY = 'e2e-second-user-key-0123456789';
/** A newcomer's wording: the raw export is parsed first (an inserted prerequisite), then converted. */
const JIL_REQUEST = 'convert this autosys file to airflow';
/** The follow-up in the same session: "its" is the export; the parse is reused. */
const DIAGRAM_REQUEST = 'chart its dependencies as a diagram';

let t: TestServices;
let server: { child: ChildProcessWithoutNullStreams; url: string; out: () => string } | undefined;
let browser: TestBrowser | undefined;
let devKey = '';
let firstSessionId = '';

/** Starts the real entry; resolves with its URL once it printed its banner. */
async function startEntry(extraEnv: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: string; out: () => string }> {
  const env: Record<string, string> = { ...t.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', PATH: process.env.PATH ?? '', ...extraEnv };
  for (const k of ['DATAOPS_API_KEYS', 'DATAOPS_JWT_SECRET', 'DATAOPS_JWKS_URL']) if (!(k in extraEnv)) delete env[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/all.ts'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 60 s:\n${out}`)), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /API\s+(http:\/\/\S+)\/v1/.exec(out);
      if (m && /Authenticate with[^\n]*\n[^\n]*\n/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${out}`));
    });
  });
  return { child, url, out: () => out };
}

async function stopEntry(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

let shot = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  const serious = await seriousA11yViolations(page);
  expect(serious, `${where}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API key or JWT').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
}

async function attach(page: Page, file: string): Promise<void> {
  const name = file.split('/').pop()!;
  await page.locator('#file-picker').setInputFiles(file);
  await page.locator('.uploads li.done', { hasText: name }).waitFor();
}

async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

async function openArtifact(page: Page, pattern: RegExp): Promise<void> {
  await page.locator('.artifact-item').filter({ has: page.locator('.name', { hasText: pattern }) }).first().click();
  await page.getByRole('dialog').waitFor();
}

async function closeViewer(page: Page): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describe.skipIf(!existsSync(CHROMIUM))('the web app in Chromium', () => {
  beforeAll(async () => {
    await rm(SHOTS, { recursive: true, force: true });
    await mkdir(SHOTS, { recursive: true });
    t = await startTestServices();
    server = await startEntry({});
    const m = /Development API key \([^\n]*shown once[^\n]*\n\s+(\S+)/.exec(server.out());
    if (!m) throw new Error(`no development key in the banner:\n${server.out()}`);
    devKey = m[1]!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stopEntry();
    await t?.cleanup();
  });

  it('is served at / from the API port, with its own content security policy, no CDN', async () => {
    const res = await fetch(`${server!.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/src="https?:\/\//);
  });

  it('signs in with the development key, converts the example JIL to Airflow, shows the run and the DAG and the diagram', async () => {
    const page = await browser!.newPage();
    await page.goto(server!.url);
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('API key or JWT').fill('not-a-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    browser!.errors.length = 0; // the refused sign-in's 401 is the only expected console error
    await signIn(page, server!.url, devKey);
    expect(await page.evaluate('sessionStorage.getItem("dataops.token")')).toBe(devKey);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    await page.getByRole('button', { name: 'New session' }).first().click();
    await page.locator('.socket-live').waitFor();
    firstSessionId = decodeURIComponent(new URL(page.url()).hash.replace('#/s/', ''));
    expect(firstSessionId).toMatch(/^sess_/);
    await attach(page, JIL);
    await screenshot(page, 'jil-attached');
    await ask(page, JIL_REQUEST);
    const run = page.locator('figure.run').first();
    await run.waitFor();
    await screenshot(page, 'jil-run-live');
    await run.locator('[data-testid=run-status]', { hasText: 'done' }).waitFor({ timeout: 60_000 });
    const states = await run.locator('.run-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((s) => s === 'done' || s === 'skipped')).toBe(true);
    await page.locator('.msg-assistant').last().waitFor();
    await screenshot(page, 'jil-run-done');
    await expectAccessible(page, 'session with a finished run');

    await openArtifact(page, /\.py$/);
    await page.getByRole('dialog').locator('code.language-python .hljs-keyword').first().waitFor();
    await expect.poll(() => page.getByRole('dialog').locator('code').first().innerText()).toContain('DAG');
    await screenshot(page, 'airflow-dag');
    await expectAccessible(page, 'DAG viewer');
    const download = page.waitForEvent('download');
    await page.getByRole('dialog').getByRole('button', { name: /^Download .*\.py$/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.py$/);
    await closeViewer(page);

    const replies = await page.locator('.msg-assistant').count();
    await ask(page, DIAGRAM_REQUEST);
    await expect.poll(() => page.locator('.msg-assistant').count(), { timeout: 60_000 }).toBeGreaterThan(replies);
    await page.locator('.artifact-item').filter({ has: page.locator('.name', { hasText: /\.mmd$/ }) }).first().waitFor({ timeout: 60_000 });
    await openArtifact(page, /\.mmd$/);
    await page.getByRole('dialog').locator('.diagram[data-rendered=true] svg').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('dialog').locator('.diagram svg .node').count()).toBeGreaterThan(3);
    await screenshot(page, 'dependency-diagram');
    await expectAccessible(page, 'diagram viewer');
    // lineage: the diagram was made from the analysis; follow it
    await page.getByRole('dialog').getByRole('complementary', { name: 'Lineage' }).getByRole('button').first().click();
    await expect.poll(() => page.locator('#viewer-title').innerText()).not.toMatch(/\.mmd$/);
    await closeViewer(page);

    await openArtifact(page, /parsed/);
    await page.getByLabel('Search jobs').fill('SALES_STAGE');
    await expect.poll(() => page.getByRole('dialog').locator('tbody tr').count()).toBeGreaterThan(0);
    const rows = await page.getByRole('dialog').locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeLessThan(15); // of 15 jobs
    expect(rows.every((r) => r.includes('SALES_STAGE'))).toBe(true);
    expect(rows.some((r) => r.startsWith('SALES_STAGE_LOAD'))).toBe(true);
    await screenshot(page, 'jil-job-table');
    await closeViewer(page);
    expect(browser!.errors).toEqual([]);
  });

  it('profiles a CSV, writes Postgres DDL and checks quality; shows the profile charts, the DDL and the rules; rename, checkpoints, narrow window', async () => {
    const page = await browser!.newPage();
    await page.goto(server!.url); // still signed in: the token is in this tab's sessionStorage
    await page.getByRole('button', { name: 'New session' }).first().click();
    await page.locator('.socket-live').waitFor();
    await attach(page, CSV);
    // Shift+Enter is a new line, not a send
    const box = page.getByLabel('Message', { exact: true });
    await box.fill('first line');
    await box.press('Shift+Enter');
    await box.pressSequentially('second line');
    expect(await box.inputValue()).toBe('first line\nsecond line');
    expect(await page.locator('.msg-user').count()).toBe(0);
    await ask(page, 'profile this CSV and give me Postgres DDL and a quality report');
    await page.locator('figure.run [data-testid=run-status]', { hasText: 'done' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.msg-assistant').last().waitFor();
    await screenshot(page, 'csv-run-done');

    await openArtifact(page, /profile/);
    const dialog = page.getByRole('dialog');
    await dialog.locator('table.profile-table tbody tr').first().waitFor();
    expect(await dialog.locator('table.profile-table tbody tr').count()).toBe(9);
    await dialog.locator('svg.histogram').first().waitFor();
    expect(await dialog.locator('tr[data-column=amount] svg.histogram rect').count()).toBeGreaterThan(1);
    expect(await dialog.locator('tr[data-column=status] .top-values li').count()).toBeGreaterThan(0);
    expect(await dialog.locator('tr[data-column=note] .null-bar').innerText()).toMatch(/\d+ %/);
    await screenshot(page, 'csv-profile');
    await expectAccessible(page, 'profile viewer');
    await closeViewer(page);

    await openArtifact(page, /\.sql$/);
    await dialog.locator('code.language-sql .hljs-keyword').first().waitFor();
    expect(await dialog.locator('code').first().innerText()).toContain('CREATE TABLE');
    await screenshot(page, 'postgres-ddl');
    // Escape closes the viewer and gives the focus back to the page
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await openArtifact(page, /quality/);
    await dialog.getByRole('region', { name: 'Rules' }).locator('tbody tr').first().waitFor();
    const results = await dialog.locator('tbody tr td .badge').allInnerTexts();
    expect(results.length).toBeGreaterThan(5);
    expect(results.every((r) => r === 'pass' || r === 'fail')).toBe(true);
    await screenshot(page, 'quality-report');
    await expectAccessible(page, 'quality viewer');
    await closeViewer(page);

    // a quality report with failures (rules given through the runs API): failing samples shown per rule
    const sessionId = decodeURIComponent(new URL(page.url()).hash.replace('#/s/', ''));
    await attach(page, CUSTOMERS);
    const listed = (await (
      await fetch(`${server!.url}/v1/sessions/${sessionId}/artifacts`, { headers: { authorization: `Bearer ${devKey}` } })
    ).json()) as { items: { artifactId: string; name: string | null }[] };
    const source = listed.items.find((a) => a.name === 'customers.csv')!.artifactId;
    const started = await fetch(`${server!.url}/v1/sessions/${sessionId}/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${devKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'csv.quality', params: { source, rules: { notNull: ['email'], regex: [{ column: 'email', pattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]+$' }] } } }),
    });
    expect(started.status).toBe(202);
    await page.locator('.artifact-item').filter({ has: page.locator('.name', { hasText: /quality/ }) }).nth(1).waitFor({ timeout: 60_000 });
    await page.locator('.artifact-item').filter({ has: page.locator('.name', { hasText: /quality/ }) }).first().click();
    await dialog.locator('tr.fail').first().waitFor();
    expect(await dialog.locator('tr.fail').count()).toBe(2);
    await dialog.locator('tr.fail summary').first().click();
    expect(await dialog.locator('tr.fail pre').first().innerText()).toMatch(/line \d+ · email = \(null\)/);
    await screenshot(page, 'quality-failures');
    await closeViewer(page);

    // rename (PATCH /v1/sessions/:id → metadata.title)
    const nav = page.getByRole('navigation', { name: 'Sessions' });
    await nav.locator('li.active').getByRole('button', { name: /^Rename/ }).click();
    await nav.getByLabel('New name').fill('Orders profile');
    await nav.getByLabel('New name').press('Enter');
    await nav.getByRole('link', { name: /Orders profile/ }).waitFor();
    await page.getByRole('heading', { name: 'Orders profile' }).waitFor();

    // checkpoints: save one, see it listed, restore it
    await page.getByLabel('Checkpoint label').fill('after-profile');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.checkpoint-list li', { hasText: 'after-profile' }).waitFor();
    await page.getByRole('button', { name: 'Restore after-profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Restored' }).waitFor();

    // a narrow window: the sessions list folds behind a toggle, nothing overflows sideways
    await page.setViewportSize({ width: 420, height: 800 });
    await screenshot(page, 'narrow');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.getByRole('button', { name: 'Sessions' }).click();
    await page.getByRole('navigation', { name: 'Sessions' }).getByRole('link').first().waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(browser!.errors).toEqual([]);
  });

  it("keeps users apart: a second user sees none of the first user's sessions", async () => {
    expect(firstSessionId).not.toBe('');
    // the same storage, now with a second user's key next to the development key
    await stopEntry();
    server = await startEntry({ DATAOPS_API_KEYS: `dev:${devKey},second:${SECOND_KEY}` });
    const other = await browser!.context.newPage();
    await signIn(other, server.url, SECOND_KEY);
    await other.getByText('No sessions yet.').waitFor();
    await screenshot(other, 'second-user');
    // the first user's session by its URL: not found, back to the start page
    await other.goto(`${server.url}/#/s/${encodeURIComponent(firstSessionId)}`);
    await other.getByRole('heading', { name: 'Welcome' }).waitFor();
    const res = await fetch(`${server.url}/v1/sessions/${firstSessionId}/messages`, { headers: { authorization: `Bearer ${SECOND_KEY}` } });
    expect(res.status).toBe(404);
    await other.close();
    // and the first user still has them
    const page = await browser!.context.newPage();
    await signIn(page, server.url, devKey);
    const nav = page.getByRole('navigation', { name: 'Sessions' });
    await expect.poll(() => nav.getByRole('link').count()).toBe(2);
    // newest first: the CSV session (renamed) is on top
    expect(await nav.getByRole('link').first().innerText()).toContain('Orders profile');
    // delete one (after the confirmation)
    page.once('dialog', (d) => void d.accept());
    await nav.getByRole('button', { name: 'Delete Orders profile' }).click();
    await expect.poll(() => nav.getByRole('link').count()).toBe(1);
    await page.close();
  });
});
