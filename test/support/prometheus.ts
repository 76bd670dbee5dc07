// Debian's real Prometheus and Alertmanager for detection tests: each on a free port with a
// temporary configuration and storage directory, ready when its /-/ready answers, stopped (and the
// directory removed) by `stop`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface RunningServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** The command line of an Alertmanager with no receivers that listens on `port` only (clustering off). */
export function alertmanagerCommand(dir: string, port: number): string[] {
  writeFileSync(path.join(dir, 'alertmanager.yml'), 'route: { receiver: none }\nreceivers: [ { name: none } ]\n');
  return ['prometheus-alertmanager', `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
}

export async function startAlertmanager(): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-am-'));
  const port = await freePort();
  const [cmd, ...args] = alertmanagerCommand(dir, port);
  return started(cmd!, args, dir, port);
}

export interface PrometheusConfig {
  /** Scrape jobs: job name -> host:port of its /metrics. */
  jobs: Record<string, string>;
  /** The rules file's `rules:` list, as YAML lines indented by 6 spaces. */
  rules: string;
  alertmanager?: string;
}

export async function startPrometheus(c: PrometheusConfig): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-prom-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'rules.yml'), `groups:\n  - name: test\n    interval: 1s\n    rules:\n${c.rules}\n`);
  const jobs = Object.entries(c.jobs).map(([job, target]) => `  - job_name: ${job}\n    static_configs: [ { targets: ["${target}"] } ]`).join('\n');
  const alerting = c.alertmanager ? `alerting:\n  alertmanagers: [ { static_configs: [ { targets: ["${c.alertmanager}"] } ] } ]\n` : '';
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, scrape_timeout: 500ms, evaluation_interval: 1s }\nrule_files: [ ${path.join(dir, 'rules.yml')} ]\n${alerting}scrape_configs:\n${jobs}\n`,
  );
  // Prometheus finds its Alertmanager a few seconds after start and drops what fired before; a
  // resend delay of 1s (default 1m) re-sends firing alerts each evaluation, so none is lost.
  const server = await started('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--rules.alert.resend-delay=1s'], dir, port);
  if (c.alertmanager) {
    try {
      await until('Prometheus to discover its Alertmanager', 20_000, async () => {
        const body = (await (await fetch(`${server.url}/api/v1/alertmanagers`)).json()) as { data: { activeAlertmanagers: unknown[] } };
        return body.data.activeAlertmanagers.length > 0;
      });
    } catch (e) {
      await server.stop();
      throw e;
    }
  }
  return server;
}

async function started(cmd: string, args: string[], dir: string, port: number): Promise<RunningServer> {
  let output = '';
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(`${cmd} on port ${port} to be ready`, 20_000, async () => child.exitCode === null && (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)), () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, stop };
}

/** Polls `check` until it is true, or fails after `ms` saying what it waited for. */
export async function until(what: string, ms: number, check: () => Promise<boolean> | boolean, context: () => string = () => ''): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}${context() ? `:\n${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
