import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('prb');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

describe('docker probes', { timeout: 60_000 }, () => {
  it('docker-health follows the container\'s HEALTHCHECK', async () => {
    const c = await lab.container({ name: 'hc', healthcheck: ['CMD', 'test', '-e', '/ok'] });
    const d = lab.driver();
    const probe = d.probe('health', { 'docker-health': { container: `${lab.id}-hc` }, every: 100, timeout: 1000 }, new Map())!;
    expect(probe).toBeDefined();
    await lab.until(async () => (await probe.sample(lab.ctx())).error?.includes('unhealthy') ?? false, 10_000);
    await lab.exec(c.Id, ['touch', '/ok']);
    await lab.until(async () => (await probe.sample(lab.ctx())).ok, 10_000);
    const plain = await lab.container({ name: 'plain' });
    const none = d.probe('h2', { 'docker-health': { container: plain.Id }, every: 100, timeout: 1000 }, new Map())!;
    expect((await none.sample(lab.ctx())).error).toMatch(/has no HEALTHCHECK/);
    const missing = d.probe('h3', { 'docker-health': { container: 'faultline-nope' }, every: 100, timeout: 1000 }, new Map())!;
    expect((await missing.sample(lab.ctx())).error).toMatch(/does not exist/);
  });

  it('exec runs inside the single container of a target; generic kinds are left to the core', async () => {
    const c = await lab.container({ name: 'x', cmd: ['sh', '-c', 'echo PONG > /state; sleep 3600'] });
    const d = lab.driver();
    const t = await lab.target(c, 'db');
    const runner = d.probe('e', { exec: { command: ['cat', '/state'], exitCode: 0, stdout: '^PONG', target: 'db' }, every: 100, timeout: 2000 }, new Map([['db', [t]]]))!;
    expect(await runner.sample(lab.ctx())).toMatchObject({ ok: true });
    const two = d.probe('e', { exec: { command: ['true'], exitCode: 0, target: 'db' }, every: 100, timeout: 2000 }, new Map([['db', [t, t]]]))!;
    expect((await two.sample(lab.ctx())).error).toMatch(/has 2 containers \(it needs exactly one\)/);
    expect(d.probe('h', { exec: { command: ['true'], exitCode: 0 }, every: 100, timeout: 1000 }, new Map())).toBeUndefined();
    expect(d.probe('h', { tcp: { address: '127.0.0.1:1' }, every: 100, timeout: 1000 }, new Map())).toBeUndefined();
  });
});
