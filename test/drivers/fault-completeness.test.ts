// Every fault kind is one unit: this walks the catalog and every driver's registry and fails when
// a piece is missing — a kind nobody implements, a held kind whose expiry or holder is unsaid, an
// undo record rollback could not read back, a kind `plan` cannot describe.
import { spawnSync } from 'node:child_process';
import { KubeConfig } from '@kubernetes/client-node';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/domain/context.js';
import { FAULT_CATALOG, FAULT_KINDS, isInstant, type FaultKind } from '../../src/domain/fault-kinds/catalog.js';
import type { FaultSpec } from '../../src/domain/experiment.js';
import type { DriverName, Target } from '../../src/domain/model.js';
import { DockerDriver } from '../../src/drivers/docker/docker-driver.js';
import type { Driver } from '../../src/drivers/driver.js';
import { readUndo, type FaultHandler } from '../../src/drivers/fault-handler.js';
import { FAULT_SUPPORT, supportedFaults } from '../../src/drivers/fault-support.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { ProcessDriver } from '../../src/drivers/process/process-driver.js';
import { resolveFault } from '../../src/engine/resolve-fault.js';
import { FaultProxy } from '../../src/proxy/index.js';
import { randomStream } from '../../src/runtime/random.js';
import { systemClock } from '../../src/runtime/system-clock.js';

function drivers(): Record<DriverName, Driver> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'default' }],
    currentContext: 'x',
  });
  const process = new ProcessDriver({ baseDir: '/', clock: systemClock, createProxy: (rng) => new FaultProxy({ rng }) });
  // Links from a client to each target, so link faults have something to describe.
  process.configure({ spec: { links: { 'to-a': { to: 'a', listen: '127.0.0.1:1', upstream: '127.0.0.1:2' } } } } as never);
  return {
    process,
    docker: new DockerDriver(new Dockerode({ socketPath: '/nonexistent/docker.sock' }), { where: 'nowhere', selfId: 'none' }),
    kubernetes: new KubernetesDriver({ kubeConfig }),
  };
}

const victim = (driver: DriverName, name: string): Target => ({
  driver,
  group: name,
  id: name,
  name,
  meta: driver === 'kubernetes' ? { namespace: 'default', pod: name, uid: `uid-${name}`, containers: ['app'], node: 'n1' } : {},
});

const ctx = () => ({ clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'r-complete', rng: randomStream('r-complete', 'test') });

const claims = Object.entries(FAULT_SUPPORT).flatMap(([driver, registry]) =>
  Object.entries(registry).map(([kind, handler]) => ({ driver: driver as DriverName, kind: kind as FaultKind, handler: handler as FaultHandler<FaultKind, unknown, unknown> & Record<string, unknown> })),
);

describe('every fault kind is complete on every driver that claims it', () => {
  const live = drivers();

  it('every kind in the catalog is claimed by at least one driver, and every claim names a kind of the catalog', () => {
    const claimed = new Set(claims.map((c) => c.kind));
    expect(FAULT_KINDS.filter((k) => !claimed.has(k))).toEqual([]);
    expect([...claimed].filter((k) => !(k in FAULT_CATALOG))).toEqual([]);
    for (const name of Object.keys(live) as DriverName[]) expect([...live[name].faults.keys()].sort()).toEqual(supportedFaults(name).sort());
  });

  for (const { driver, kind, handler } of claims) {
    // A kind whose parameters decide (command) is checked as its example is: held.
    const held = !isInstant(kind, FAULT_CATALOG[kind].params.parse(FAULT_CATALOG[kind].example));
    describe(`${kind} on ${driver}`, () => {
      it('has inject and revert', () => {
        expect(typeof handler.inject).toBe('function');
        expect(typeof handler.revert).toBe('function');
      });

      if (held) it('says how it expires if faultline dies (not the generic fallback)', () => {
        const text = live[driver].faults.get(kind)?.expiry?.(12_000);
        expect(text, `${driver} ${kind}: no expiry`).toBeTruthy();
        expect(text).not.toMatch(/^(time to live|nothing is left to expire)/);
      });

      it('can be replayed: its undo record survives a JSON round trip and is read back; a malformed one is a clear error', async () => {
        const t = victim(driver, 'a');
        const undo = handler.example(t);
        const back = JSON.parse(JSON.stringify(undo)) as unknown;
        expect(readUndo(driver, kind, handler.undo, t, back)).toEqual(undo);
        const bound = live[driver].faults.get(kind)!;
        await expect(bound.revert(t, { not: ['an undo record'] }, ctx())).rejects.toThrow(new RegExp(`the undo record of ${kind} on a is not one the ${driver} driver can revert`));
        // Where no engine or cluster is needed, the replay itself runs: a victim that no longer exists counts as reverted.
        if (driver === 'process' || !held) expect(await bound.revert(t, back as never, ctx())).toBeTypeOf('object');
      });

      if (held && driver === 'docker') it('has a holder that ends it at expiry', () => {
        const plan = handler.holder as { image: 'engine'; calls(u: unknown): { path: string }[] } | { image: 'netns' } | undefined;
        expect(plan, `docker ${kind}: no holder plan`).toBeDefined();
        if (plan?.image === 'engine') expect(plan.calls(handler.example(victim('docker', 'a'))).map((c) => c.path).join()).toMatch(/^\/(containers|networks)\//);
      });

      if (held && driver === 'process') it('is ended by the watchdog, or ends with faultline by construction', () => {
        expect(typeof handler.watchdog === 'function' || handler.watchdogReverts === true || handler.endsWithFaultline === true, `process ${kind}: neither a watchdog action, watchdogReverts nor endsWithFaultline`).toBe(true);
      });

      it('is described by plan, for each victim', () => {
        const groups = new Map([['a', [victim(driver, 'a')]], ['b', [victim(driver, 'b')]]]);
        const spec = { [kind]: FAULT_CATALOG[kind].params.parse(FAULT_CATALOG[kind].example), at: 0 } as unknown as FaultSpec;
        const f = resolveFault(spec, live[driver], groups);
        const victims = f.victims();
        expect(victims.length).toBeGreaterThan(0);
        for (const v of victims) expect(f.describe(v)).toMatch(/\w+.*; (revert|nothing to revert)/);
      });
    });
  }
});

describe('what a driver supports is known without loading the Docker or Kubernetes SDK', () => {
  it('importing the package entry and the fault registries resolves neither dockerode nor @kubernetes/client-node', () => {
    // A resolve hook records every bare specifier the built package asks for.
    const hook = `export async function resolve(s, c, next) { if (!s.startsWith('.') && !s.startsWith('node:') && !s.startsWith('file:')) process.stdout.write('import ' + s + '\\n'); return next(s, c); }`;
    const main = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)})); await import('./dist/index.js'); const s = await import('./dist/drivers/fault-support.js'); process.stdout.write('kinds ' + s.supportedFaults('docker').length + ' ' + s.supportedFaults('kubernetes').length + '\\n');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', main], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^kinds \d+ \d+$/m);
    expect(r.stdout).toMatch(/^import zod$/m);
    expect(r.stdout).not.toMatch(/^import (dockerode|@kubernetes\/client-node)/m);
  });
});
