// Detection objectives against Debian's real Prometheus and Alertmanager, started here with a 1s
// scrape and evaluation interval: faultline kills a service Prometheus scrapes and reads the alert
// from both. One Prometheus and one Alertmanager serve the whole file; each test has its own scrape
// job (and so its own alert labels). Run under the shared lock: flock /work/test.lock.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/domain/errors.js';
import type { Journal } from '../../src/domain/model.js';
import { freePort } from '../support/free-port.js';
import { REPO, alive } from '../support/kv.js';
import { alertmanagerCommand, startAlertmanager, startPrometheus, until, type RunningServer } from '../support/prometheus.js';
import { runYaml, servicePids } from '../support/run.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { silentLogger } from '../../src/domain/context.js';
import { ProcessDriver } from '../../src/drivers/process/process-driver.js';
import { FaultProxy } from '../../src/proxy/index.js';
import { planExperiment } from '../../src/engine/plan.js';
import { renderPlan } from '../../src/report/plan-text.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';

const METRICS_SERVER = path.join(REPO, 'test/fixtures/metrics-server.js');
const JOBS = ['met', 'missed', 'gone'] as const;
// "Went down": up is 0 now and was 1 within the last 5m, so a job whose service has not started yet raises nothing.
const WENT_DOWN = 'up == 0 and on(job, instance) max_over_time(up[5m]) == 1';
const RULES = [
  `      - { alert: InstanceDown, expr: "${WENT_DOWN}", for: 1s }`,
  `      - { alert: SlowToFire, expr: "${WENT_DOWN}", for: 10m }`,
  '      - { alert: AlwaysFiring, expr: "vector(1)" }',
].join('\n');

let am: RunningServer | undefined;
let prom: RunningServer | undefined;
const port: Record<string, number> = {};

beforeAll(async () => {
  for (const job of JOBS) port[job] = await freePort();
  am = await startAlertmanager();
  prom = await startPrometheus({ jobs: Object.fromEntries(JOBS.map((j) => [j, `127.0.0.1:${port[j]}`])), rules: RULES, alertmanager: `127.0.0.1:${am.port}` });
  // The test of an alert already firing needs Alertmanager to hold it before that test starts.
  await until('Alertmanager to receive AlwaysFiring', 20_000, async () => {
    const alerts = (await (await fetch(`${am!.url}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
    return alerts.some((a) => a.labels.alertname === 'AlwaysFiring');
  });
});

afterAll(async () => {
  await prom?.stop();
  await am?.stop();
});

function experiment(name: string, job: string, body: string): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: process
  services:
    svc:
      command: [node, ${METRICS_SERVER}, "${port[job]}"]
      ready: { http: "http://127.0.0.1:${port[job]}/scraped", timeout: 20s }
  targets:
    svc: { selector: { names: [svc] } }
  observers:
    am: { alertmanager: "${am!.url}", every: 250ms }
    prom: { prometheus: "${prom!.url}", every: 250ms }
  faults:
    - kill: { target: svc, signal: SIGKILL }
${body}
  observe: { steadyState: 200ms, recoveryWindow: 100ms }
`;
}

function expectNothingLeft(j: Journal): void {
  for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
}

describe('detection objectives against a real Prometheus and Alertmanager', () => {
  it('is met when the alert fires, with a TTD consistent with for + scrape + evaluation intervals', async () => {
    const j = await runYaml(
      experiment('detect-met', 'met', `  objectives:
    - detection: { observer: am, matchers: { alertname: InstanceDown, job: met }, within: 30s }
    - detection: { observer: prom, matchers: { alertname: InstanceDown, job: met }, within: 30s }`),
    );
    expect(j.status).toBe('completed');
    const [viaAm, viaProm] = j.verdicts;
    expect(viaAm).toMatchObject({ kind: 'detection', observer: 'am', status: 'met' });
    expect(viaProm).toMatchObject({ kind: 'detection', observer: 'prom', status: 'met' });
    for (const v of [viaAm!, viaProm!]) {
      // Never before the rule's `for: 1s` has passed; at most a scrape (1s), two evaluations (2s),
      // the notification and a read later, with room for a loaded machine.
      expect(v.measured!).toBeGreaterThanOrEqual(1000);
      expect(v.measured!).toBeLessThan(12_000);
    }
    // Alertmanager's startsAt is when Prometheus fired it (after `for`); Prometheus's activeAt is when it became pending.
    expect(viaAm!.figures.alertStartMs!).toBeGreaterThanOrEqual(900);
    expect(viaAm!.figures.alertStartMs!).toBeLessThanOrEqual(viaAm!.measured!);
    expect(viaProm!.figures.alertStartMs!).toBeGreaterThanOrEqual(-100);
    expect(viaProm!.figures.alertStartMs!).toBeLessThan(viaProm!.measured! - 900);
    expect(viaAm!.detail).toMatch(/^detected in \d/);
    // Both observers' reads are in the journal, each with its time, and the firing one names the alert.
    expect(j.observers!.map((l) => [l.name, l.kind])).toEqual([['am', 'alertmanager'], ['prom', 'prometheus']]);
    const amLog = j.observers![0]!;
    expect(amLog.polls.every((p) => p.ok)).toBe(true);
    expect(amLog.polls.some((p) => p.firing.some((f) => amLog.alerts[f.alert]!.job === 'met'))).toBe(true);
    expectNothingLeft(j);
  });

  it('is missed, "not detected within", when the rule cannot fire in time, and lists the alerts that did fire', async () => {
    const j = await runYaml(
      experiment('detect-missed', 'missed', `  objectives:
    - detection: { observer: am, matchers: { alertname: SlowToFire, job: missed }, within: 3s }
    - detection: { observer: am, matchers: { alertname: InstanceDown, job: missed }, within: 30s }`),
    );
    expect(j.status).toBe('completed');
    const [slow, down] = j.verdicts;
    expect(slow).toMatchObject({ status: 'missed', met: false, measured: null });
    expect(slow!.detail).toMatch(/^not detected within 3s: \{alertname=SlowToFire, job=missed\} never fired; alerts that fired during the run: .*InstanceDown\{instance=127\.0\.0\.1:\d+, job=missed\}/);
    expect(down).toMatchObject({ status: 'met' });
    expect(j.deviated).toBe(true);
    expectNothingLeft(j);
  });

  it('aborts before any fault when the alert is already firing', async () => {
    const j = await runYaml(experiment('detect-firing', 'met', `  objectives:
    - detection: { observer: am, alert: AlwaysFiring, within: 10s }`));
    expect(j.status).toBe('aborted');
    expect(j.reason).toMatch(/^alert AlwaysFiring is already firing at observer "am" \(http:\/\/127\.0\.0\.1:\d+\) before any fault, so it would detect nothing; no fault was injected/);
    expect(j.faults.every((f) => f.injectedAt === null)).toBe(true);
    expect(j.verdicts[0]).toMatchObject({ status: 'unknown', met: false });
    expectNothingLeft(j);
  });

  it('is unknown, never met, when the observer goes away during the run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-am-service-'));
    try {
      const amPort = await freePort();
      const command = alertmanagerCommand(dir, amPort);
      const j = await runYaml(`apiVersion: faultline/v1
kind: Experiment
metadata: { name: detect-gone }
spec:
  driver: process
  services:
    svc:
      command: [node, ${METRICS_SERVER}, "${port.gone}"]
      ready: { http: "http://127.0.0.1:${port.gone}/scraped", timeout: 20s }
    alertmanager:
      command: ${JSON.stringify(command)}
      ready: { http: "http://127.0.0.1:${amPort}/-/ready", timeout: 20s }
  targets:
    svc: { selector: { names: [svc] } }
    alertmanager: { selector: { names: [alertmanager] } }
  observers:
    alerts: { alertmanager: "http://127.0.0.1:${amPort}", every: 250ms }
  faults:
    - kill: { target: svc, signal: SIGKILL }
    - kill: { target: alertmanager, signal: SIGKILL }
  objectives:
    - detection: { observer: alerts, matchers: { alertname: InstanceDown, job: gone }, within: 3s }
  observe: { steadyState: 200ms, recoveryWindow: 100ms }
`);
      expect(j.status).toBe('completed');
      expect(j.verdicts[0]).toMatchObject({ status: 'unknown', met: false, measured: null });
      expect(j.verdicts[0]!.detail).toMatch(new RegExp(`^could not tell whether \\{alertname=InstanceDown, job=gone\\} fired within 3s: observer "alerts" \\(http://127\\.0\\.0\\.1:${amPort}\\) did not answer at \\+`));
      expect(j.observers![0]!.polls.some((p) => !p.ok)).toBe(true);
      expectNothingLeft(j);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start, naming the address, when an observer does not answer before the run', async () => {
    const nobody = await freePort();
    const run = runYaml(`apiVersion: faultline/v1
kind: Experiment
metadata: { name: detect-unreachable }
spec:
  driver: process
  services:
    svc: { command: [node, ${METRICS_SERVER}, "${port.gone}"] }
  targets:
    svc: { selector: { names: [svc] } }
  observers:
    alerts: { prometheus: "http://127.0.0.1:${nobody}" }
  faults:
    - kill: { target: svc }
  objectives:
    - detection: { observer: alerts, alert: InstanceDown, within: 3s }
`);
    await expect(run).rejects.toBeInstanceOf(EnvironmentError);
    await expect(run).rejects.toThrow(new RegExp(`^observer "alerts" at http://127\\.0\\.0\\.1:${nobody} did not answer before any fault: GET http://127\\.0\\.0\\.1:${nobody}/api/v1/alerts failed: .*ECONNREFUSED`));
  });

  it('plan shows the observers and warns when Prometheus has no rule of that name, listing those it has', async () => {
    const loaded = parseExperiment(experiment('detect-plan', 'met', `  objectives:
    - detection: { observer: prom, alert: InstanceDwn, within: 30s }
    - detection: { observer: am, alert: InstanceDown, within: 30s }`), path.join(tmpdir(), 'plan.yaml'));
    const driver = new ProcessDriver({ baseDir: loaded.dir, clock: systemClock, createProxy: (rng) => new FaultProxy({ rng }) });
    const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'plan', rng: () => 0.5 };
    const plan = await planExperiment(loaded.experiment, driver, ctx, 1);
    expect(plan.observers).toEqual([
      { name: 'am', kind: 'alertmanager', url: am!.url, detections: ['InstanceDown fires within 30s'], warnings: [] },
      { name: 'prom', kind: 'prometheus', url: prom!.url, detections: ['InstanceDwn fires within 30s'], warnings: ['no rule named InstanceDwn is loaded (it has: AlwaysFiring, InstanceDown, SlowToFire)'] },
    ]);
    expect(renderPlan(plan)).toContain(`observers:\n  am (alertmanager ${am!.url}): InstanceDown fires within 30s\n  prom (prometheus ${prom!.url}): InstanceDwn fires within 30s\n    warning: no rule named InstanceDwn is loaded (it has: AlwaysFiring, InstanceDown, SlowToFire)`);
  });
});
