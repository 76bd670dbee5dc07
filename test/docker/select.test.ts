import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('sel');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

const names = (ts: { name: string }[]) => ts.map((t) => t.name.replace(`${lab.id}-`, '')).sort();

describe('selecting containers', { timeout: 60_000 }, () => {
  it('by exact names, exact name, /regex/ name, labels, compose labels and network', async () => {
    const net = await lab.network('switch');
    const other = await lab.network('other');
    await lab.container({ name: 'web-1', labels: { app: 'web', 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' }, networks: [{ name: net }] });
    await lab.container({ name: 'web-2', labels: { app: 'web', 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' }, networks: [{ name: other }] });
    await lab.container({ name: 'db-1', labels: { app: 'db', 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' }, networks: [{ name: net }] });
    const d = lab.driver();
    const ctx = lab.ctx();
    const lab_ = { 'faultline.test.lab': lab.id };

    expect(names(await d.candidates({ names: [`${lab.id}-web-1`, `${lab.id}-db-1`] }, 'g', ctx))).toEqual(['db-1', 'web-1']);
    expect(names(await d.candidates({ name: `${lab.id}-web-2` }, 'g', ctx))).toEqual(['web-2']);
    // Exact means exact: Docker's own name filter would also match "web-1" for "web".
    expect(await d.candidates({ name: `${lab.id}-web` }, 'g', ctx)).toEqual([]);
    expect(names(await d.candidates({ name: `/^${lab.id}-web-\\d$/` }, 'g', ctx))).toEqual(['web-1', 'web-2']);
    expect(names(await d.candidates({ labels: { ...lab_, app: 'web' } }, 'g', ctx))).toEqual(['web-1', 'web-2']);
    expect(names(await d.candidates({ labels: lab_, compose: { project: 'shop', service: 'db' } }, 'g', ctx))).toEqual(['db-1']);
    expect(names(await d.candidates({ network: net }, 'g', ctx))).toEqual(['db-1', 'web-1']);
    expect(names(await d.candidates({ network: net, labels: { app: 'web' } }, 'g', ctx))).toEqual(['web-1']);

    const all = await d.candidates({ labels: lab_ }, 'grp', ctx);
    expect(all.map((t) => t.id)).toEqual([...all.map((t) => t.id)].sort());
    expect(all[0]).toMatchObject({ driver: 'docker', group: 'grp' });
    expect(Object.keys(all.find((t) => t.name.endsWith('db-1'))!.meta.ips as object)).toEqual([net]);
  });

  it('never selects helper containers or faultline\'s own container', async () => {
    await lab.container({ name: 'helper', labels: { 'faultline.helper': '1', role: 'x' } });
    const me = await lab.container({ name: 'me', labels: { role: 'x' } });
    const plain = await lab.container({ name: 'plain', labels: { role: 'x' } });
    const d = lab.driver({ selfId: me.Id });
    const found = await d.candidates({ labels: { 'faultline.test.lab': lab.id, role: 'x' } }, 'g', lab.ctx());
    expect(found.map((t) => t.id)).toEqual([plain.Id]);
  });

  it('a selector matching nothing gives no candidates; a bad regex is invalid input', async () => {
    const d = lab.driver();
    expect(await d.candidates({ name: 'faultline-no-such-container' }, 'g', lab.ctx())).toEqual([]);
    expect(await d.candidates({ labels: { 'faultline.test.lab': 'nothing-here' } }, 'g', lab.ctx())).toEqual([]);
    await expect(d.candidates({ name: '/([/' }, 'g', lab.ctx())).rejects.toThrow(/not a valid regular expression/);
  });

  it('where: exec inside each candidate picks the one whose output matches', async () => {
    const primary = await lab.container({ name: 'r1', labels: { role: 'redis' }, cmd: ['sh', '-c', 'echo master > /role; sleep 3600'] });
    await lab.container({ name: 'r2', labels: { role: 'redis' }, cmd: ['sh', '-c', 'echo slave > /role; sleep 3600'] });
    const d = lab.driver();
    const ctx = lab.ctx();
    const cands = await d.candidates({ labels: { 'faultline.test.lab': lab.id, role: 'redis' } }, 'g', ctx);
    const where = { exec: { command: ['cat', '/role'], exitCode: 0, stdout: '^master' }, timeout: 2000 };
    const kept = [];
    for (const c of cands) if ((await d.where(where, c, ctx)).ok) kept.push(c.id);
    expect(kept).toEqual([primary.Id]);

    const never = { exec: { command: ['cat', '/role'], exitCode: 0, stdout: '^sentinel' }, timeout: 2000 };
    const samples = await Promise.all(cands.map((c) => d.where(never, c, ctx)));
    expect(samples.every((s) => !s.ok)).toBe(true);
    expect(samples[0]!.error).toMatch(/does not match \/\^sentinel\//);
    const bad = await d.where({ exec: { command: ['false'], exitCode: 0 }, timeout: 2000 }, cands[0]!, ctx);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/exited 1, expected 0/) });
  });

  it('where: http to the candidate\'s own address ("target" as host)', async () => {
    const net = await lab.network('n');
    const web = await lab.container({
      name: 'web',
      networks: [{ name: net }],
      cmd: ['node', '-e', "require('http').createServer((q,s)=>s.end('role: leader')).listen(8080)"],
    });
    const d = lab.driver();
    const [t] = await d.candidates({ names: [`${lab.id}-web`] }, 'g', lab.ctx());
    await lab.until(async () => (await d.where({ http: { url: 'http://target:8080/', method: 'GET', expect: {} }, timeout: 1000 }, t!, lab.ctx())).ok, 20_000);
    const s = await d.where({ http: { url: 'http://target:8080/', method: 'GET', expect: { body: 'follower' } }, timeout: 1000 }, t!, lab.ctx());
    expect(s).toMatchObject({ ok: false });
    expect(web.Id).toBe(t!.id);
  });
});
