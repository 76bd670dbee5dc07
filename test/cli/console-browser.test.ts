// The live console as a facilitator uses it, in a real browser (Debian's chromium driven by
// puppeteer-core) against the built CLI running a real process-driver experiment: the fault
// appears on the timeline, a note and a Detected mark are recorded, Halt (confirmed) stops the
// run, and the journal and the report say so. Spawns services on a port: run under the shared
// lock. Screenshots are written to test-output/console-browser/ for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { startCli, waitForOutput } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { KV_SERVER, REPO, alive, experimentYaml, writeTemp } from '../support/kv.js';
import { servicePids } from '../support/run.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-output', 'console-browser');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits (with a deadline) until an element matching `selector` shows `text`. The test has no DOM types: the check runs as page code. */
async function waitForText(page: Page, selector: string, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(`[...document.querySelectorAll(${JSON.stringify(selector)})].some((el) => el.textContent.includes(${JSON.stringify(text)}))`, { timeout });
}

describe('the live console in a real browser', () => {
  it('shows the fault, records a note and a Detected mark, and Halt reverts everything', async () => {
    expect(existsSync(CHROMIUM), `chromium is needed at ${CHROMIUM} (scripts/prepare-test-env.sh installs it)`).toBe(true);
    const port = await freePort();
    const file = writeTemp(
      'console.yaml',
      experimentYaml(
        'console-browser',
        `
  services:
    primary:
      command: [node, ${KV_SERVER}, --role=primary, --port=${port}]
      restart: always
      ready: { tcp: 127.0.0.1:${port} }
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${port}/put?k=a&v=1" }, every: 200ms, timeout: 500ms }
  steadyState: [writes]
  workloads:
    orders:
      rate: 20/s
      write:
        http: { method: GET, url: "http://127.0.0.1:${port}/put?k={{key}}&v={{value}}" }
        timeout: 300ms
  faults:
    - pause: { target: primary }
      at: 300ms
      for: 120s
  objectives:
    - availability: { probe: writes, atLeast: 99% }
    - detection: { by: human, within: 2m }
  observe: { steadyState: 400ms }`,
      ),
    );
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-out-'));
    const userData = mkdtempSync(path.join(tmpdir(), 'faultline-chromium-'));
    const cli = startCli(['run', file, '--console', '--out', out]);
    let browser: Browser | undefined;
    try {
      await waitForOutput(cli.output, /console for the facilitator[^\n]*: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/);
      const facilitatorUrl = /console for the facilitator[^\n]*: (\S+)/.exec(cli.output())![1]!;
      const token = facilitatorUrl.split('#token=')[1]!;

      browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: userData, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(facilitatorUrl);
      // The token leaves the address bar at once: a screenshot or a shared screen does not show it.
      await page.waitForFunction('!location.hash.includes("token")', { timeout: 10_000 });

      await page.waitForSelector('.fault-span.held[data-fault="pause-1"][data-target="primary"]', { timeout: 30_000 });
      expect(await page.$eval('#targets', (el) => el.textContent)).toContain('primary/primary');
      // The workload as curves: throughput and latency, a line per series, over the timeline's axis.
      await page.waitForSelector('.workload[data-workload="orders"] svg.workload-chart.throughput polyline.series-ok', { timeout: 10_000 });
      await page.waitForSelector('.workload[data-workload="orders"] svg.workload-chart.latency polyline.series-p99', { timeout: 10_000 });
      await page.waitForSelector('.workload[data-workload="orders"] svg.workload-chart.throughput polyline.series-failed', { timeout: 10_000 });
      await shot(page, '1-fault-on-timeline');

      await page.type('#note', 'Checkout errors on the dashboard');
      await page.click('#add-note');
      await waitForText(page, '#notes li.note', 'Checkout errors on the dashboard');
      await page.type('#by', 'alice');
      await page.select('#via', 'dashboard');
      await page.click('#detected');
      await waitForText(page, '#notes li.detected', 'alice');
      await page.waitForSelector('.logbook-mark', { timeout: 10_000 });
      await shot(page, '2-logbook');

      await page.click('#halt');
      await page.waitForSelector('#halt-dialog[open]', { timeout: 5_000 });
      await shot(page, '3-halt-confirm');
      await page.click('#halt-confirm');
      await waitForText(page, '#run-status', 'interrupted', 60_000);
      await shot(page, '4-halted');

      const r = await cli.done;
      expect(r.code).toBe(130);
      const runDir = path.join(out, readdirSync(out)[0]!);
      const journalText = readFileSync(path.join(runDir, 'journal.json'), 'utf8');
      const j = JSON.parse(journalText) as import('../../src/domain/model.js').Journal;
      expect(j.status).toBe('interrupted');
      expect(j.unclean).toBe(false);
      const injected = j.events.filter((e) => e.type === 'inject' && e.ok).map((e) => (e as { fault: string }).fault);
      const reverted = j.events.filter((e) => e.type === 'revert' && e.ok).map((e) => (e as { fault: string }).fault);
      expect(injected).toEqual(['pause-1']);
      expect(reverted).toEqual(injected);
      expect(j.events.some((e) => e.type === 'log' && e.message.includes('halt pressed in the console'))).toBe(true);
      expect(j.events).toContainEqual(expect.objectContaining({ type: 'note', text: 'Checkout errors on the dashboard' }));
      expect(j.events).toContainEqual(expect.objectContaining({ type: 'detected', by: 'alice', via: 'dashboard' }));
      // The Detected mark as a verdict: met on the data so far (the run was halted), measured from the injection.
      const human = j.verdicts.find((v) => v.kind === 'detection')!;
      const mark = j.events.find((e) => e.type === 'detected')!;
      expect(human).toMatchObject({ objective: 'a person notices within 2m', status: 'partial', sofar: 'met', measured: mark.t - j.faults[0]!.injectedAt! });
      expect(j.logbook).toBe(true);
      // Written as typed, before the run ended.
      const logbook = readFileSync(path.join(runDir, 'logbook.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
      expect(logbook.map((e) => e.type)).toEqual(['note', 'detected']);
      const report = readFileSync(path.join(runDir, 'report.html'), 'utf8');
      expect(report).toContain('Checkout errors on the dashboard');
      expect(report).toContain('<g class="logbook-mark detected">');
      expect(report).toMatch(/human time to detect: [^<]*alice noticed through a dashboard/);
      for (const text of [journalText, report, readFileSync(path.join(runDir, 'logbook.jsonl'), 'utf8')]) expect(text).not.toContain(token);

      for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
      expect(await addressInUse(`127.0.0.1:${port}`)).toBe(false);
    } finally {
      await browser?.close();
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGTERM');
        await cli.done;
      }
      rmSync(userData, { recursive: true, force: true });
    }
  }, 120_000);
});
