// Test bench for the Docker suites: a real engine (started if needed), the locally built images,
// and a Lab that creates labelled containers and networks and removes every one of them after.
import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import type { RunContext } from '../../src/domain/context.js';
import { silentLogger } from '../../src/domain/context.js';
import type { Target } from '../../src/domain/model.js';
import { DockerDriver, type DockerDriverOptions } from '../../src/drivers/docker/index.js';
import { randomStream } from '../../src/runtime/random.js';
import { systemClock } from '../../src/runtime/system-clock.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BASE = 'faultline-test/base:latest';
/** Holders and helpers: busybox, curl, iptables, tc, ip. The same name vitest.config.ts sets for spawned CLIs. */
export const TOOLS = 'faultline-test/tools:latest';
export const TEST_LABEL = 'faultline.test';

/** Makes an engine answer and the images exist; fails loudly (never skips) when it cannot. */
export async function ensureDocker(): Promise<void> {
  try {
    await run('bash', [join(root, 'scripts/ensure-docker.sh')], { timeout: 120_000 });
    await run('bash', [join(root, 'scripts/build-test-images.sh')], { timeout: 300_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`the Docker test suite needs a Docker engine and its test images, and could not get them: ${e.stderr || e.message}`);
  }
}

export function ctxFor(runId: string): RunContext {
  return { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId, rng: randomStream('seed', runId) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface ContainerOpts {
  name?: string;
  cmd?: string[];
  labels?: Record<string, string>;
  networks?: { name: string; aliases?: string[]; ip?: string }[];
  restart?: 'no' | 'always' | 'on-failure';
  healthcheck?: string[];
  hostConfig?: Dockerode.HostConfig;
}

/** One lab per test file: everything it creates carries faultline.test=1 and faultline.test.lab=<id>. */
export class Lab {
  readonly docker = new Dockerode();
  readonly id: string;
  /** 8 characters, unique per lab: faultline chains are named FL-<first 8 of the run id>-... */
  readonly runId: string;

  constructor(name: string) {
    const rnd = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
    this.id = `${name}-${rnd}`;
    this.runId = `t${name.slice(0, 1)}${rnd}`;
  }

  ctx(): RunContext {
    return ctxFor(this.runId);
  }

  /** Asserted in afterAll: nothing of this lab is left, and no chain of its run in any namespace. */
  async leftovers(): Promise<string[]> {
    const filters = { label: [`faultline.test.lab=${this.id}`] };
    const left: string[] = [];
    for (const c of await this.docker.listContainers({ all: true, filters })) left.push(`container ${c.Names[0]}`);
    for (const n of await this.docker.listNetworks({ filters })) if (!this.stuck.has(n.Name)) left.push(`network ${n.Name}`);
    for (const c of await this.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${this.runId}`] } })) left.push(`helper ${c.Names[0]}`);
    for (const c of await faultlineChainsEverywhere()) if (c.includes(`FL-${this.runId}`)) left.push(`chain ${c}`);
    return left;
  }

  get labels(): Record<string, string> {
    return { [TEST_LABEL]: '1', 'faultline.test.lab': this.id };
  }

  /** `docker`: the client the driver uses, this lab's engine unless a test wraps it. */
  driver(opts: DockerDriverOptions = {}, docker: Dockerode = this.docker): DockerDriver {
    return new DockerDriver(docker, { where: 'unix:///var/run/docker.sock (default)', holderImage: TOOLS, helperImage: TOOLS, ...opts });
  }

  private seq = 0;

  async network(name: string, subnet?: string): Promise<string> {
    const full = `${this.id}-${name}${++this.seq}`;
    await this.docker.createNetwork({
      Name: full,
      Labels: this.labels,
      CheckDuplicate: true,
      ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
    });
    return full;
  }

  async container(opts: ContainerOpts = {}): Promise<Dockerode.ContainerInspectInfo> {
    const [first, ...rest] = opts.networks ?? [];
    const c = await this.docker.createContainer({
      Image: BASE,
      name: opts.name ? `${this.id}-${opts.name}` : undefined,
      Cmd: opts.cmd ?? ['sleep', '3600'],
      Labels: { ...this.labels, ...opts.labels },
      StopSignal: 'SIGKILL',
      ...(opts.healthcheck ? { Healthcheck: { Test: opts.healthcheck, Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 1 } } : {}),
      HostConfig: {
        NetworkMode: first?.name ?? 'bridge',
        RestartPolicy: { Name: opts.restart ?? 'no' },
        ...opts.hostConfig,
      },
      ...(first
        ? { NetworkingConfig: { EndpointsConfig: { [first.name]: { Aliases: first.aliases ?? [], ...(first.ip ? { IPAMConfig: { IPv4Address: first.ip } } : {}) } } } }
        : {}),
    });
    for (const n of rest) await this.docker.getNetwork(n.name).connect({ Container: c.id, EndpointConfig: { Aliases: n.aliases ?? [] } });
    await c.start();
    return c.inspect();
  }

  /** A TCP echo server on `port` (node), ready when this resolves. */
  async echoServer(opts: ContainerOpts & { port?: number } = {}): Promise<Dockerode.ContainerInspectInfo> {
    const port = opts.port ?? 7000;
    const info = await this.container({ ...opts, cmd: ['node', '-e', `require('net').createServer(s=>s.pipe(s)).listen(${port})`] });
    await this.until(async () => (await this.exec(info.Id, ['sh', '-c', `grep -q ':${port.toString(16).toUpperCase().padStart(4, '0')} .* 0A' /proc/net/tcp /proc/net/tcp6`])).code === 0, 20_000);
    return info;
  }

  async exec(id: string, cmd: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { execIn } = await import('../../src/drivers/docker/exec.js');
    return execIn(this.docker, id, cmd, 30_000);
  }

  /** Can `from` open a TCP connection to ip:port within 1 s? */
  async canConnect(from: string, ip: string, port: number): Promise<boolean> {
    const js = `const s=require('net').connect(${port},'${ip}');s.setTimeout(1000,()=>process.exit(2));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))`;
    return (await this.exec(from, ['node', '-e', js])).code === 0;
  }

  async until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await check().catch(() => false)) return;
      await sleep(50);
    }
    throw new Error(`condition not met within ${timeoutMs}ms`);
  }

  async target(info: Dockerode.ContainerInspectInfo, group = 'g'): Promise<Target> {
    const fresh = await this.docker.getContainer(info.Id).inspect();
    const ips: Record<string, string> = {};
    for (const [n, s] of Object.entries(fresh.NetworkSettings.Networks)) ips[n] = s.IPAddress;
    return { driver: 'docker', group, id: fresh.Id, name: fresh.Name.slice(1), meta: { ips } };
  }

  async ipOn(id: string, network: string): Promise<string> {
    return (await this.docker.getContainer(id).inspect()).NetworkSettings.Networks[network]!.IPAddress;
  }

  async cleanup(): Promise<void> {
    const filters = { label: [`faultline.test.lab=${this.id}`] };
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    const helpers = await this.docker.listContainers({ all: true, filters: { label: ['faultline.helper=1', `faultline.run-id=${this.runId}`] } });
    await Promise.all(helpers.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    const nets = await this.docker.listNetworks({ filters });
    for (const n of nets) await this.removeNetwork(n.Id, n.Name);
  }

  /** Networks Docker would not remove although empty (see removeNetwork): not faultline's leftovers. */
  private readonly stuck = new Set<string>();

  /**
   * Docker 20.10 can keep a stale endpoint count for a network whose containers are all gone
   * (moby/moby#42119): removal then fails with "has active endpoints" until dockerd restarts. A
   * network the test created and Docker refuses although empty is reported, not counted as left
   * by faultline; anything else still counts.
   */
  private async removeNetwork(id: string, name: string): Promise<void> {
    const net = this.docker.getNetwork(id);
    const end = Date.now() + 20_000;
    for (;;) {
      const err = await net.remove().then(() => undefined, (e: unknown) => e as { statusCode?: number; message?: string });
      if (!err || err.statusCode === 404) return;
      if (Date.now() > end) break;
      await sleep(250);
    }
    const info = (await net.inspect().catch(() => undefined)) as { Containers?: Record<string, unknown> } | undefined;
    if (info && Object.keys(info.Containers ?? {}).length === 0) {
      this.stuck.add(name);
      console.warn(`Docker will not remove the empty test network ${name} (stale endpoint count, moby/moby#42119)`);
    }
  }
}

/** iptables-save inside a container's namespace, read with nsenter from the host. */
export async function iptablesSave(pid: number): Promise<string> {
  return (await run('nsenter', ['-t', String(pid), '-n', 'iptables-save'])).stdout;
}

export async function qdiscs(pid: number): Promise<string> {
  return (await run('nsenter', ['-t', String(pid), '-n', 'tc', 'qdisc', 'show'])).stdout;
}

/** Every FL- chain in every network namespace on this machine (one process per namespace inode). */
export async function faultlineChainsEverywhere(): Promise<string[]> {
  const seen = new Map<string, number>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const ns = readlinkSync(`/proc/${p}/ns/net`);
      if (!seen.has(ns)) seen.set(ns, Number(p));
    } catch {
      // process exited while we looked
    }
  }
  const found: string[] = [];
  for (const [ns, pid] of seen) {
    const out = await iptablesSave(pid).catch(() => '');
    for (const m of out.matchAll(/^:(FL-\S+)/gm)) found.push(`${ns}: ${m[1]}`);
  }
  return found;
}
