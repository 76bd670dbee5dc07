// `faultline run --annotate grafana=URL` on a real process-driver run (the built CLI, real
// processes): the annotations arrive in the documented shape, and a Grafana that refuses them is a
// warning in the journal that changes neither the reverts nor the exit code.
import { afterEach, describe, expect, it } from 'vitest';
import { journalIn, runCli } from '../support/cli.js';
import { startFakeGrafana, type FakeGrafana } from '../support/fake-grafana.js';
import { pausedServiceExperiment } from '../support/telemetry-run.js';

const TOKEN = 'glsa_run_token_5f2c';
let grafana: FakeGrafana | undefined;
afterEach(async () => {
  await grafana?.close();
  grafana = undefined;
});

describe('faultline run --annotate grafana=URL (real processes)', () => {
  it('posts a region for the fault and one for the run, and writes the token nowhere', async () => {
    grafana = await startFakeGrafana({ token: TOKEN });
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet', '--annotate', `grafana=${grafana.url}`], { env: { FAULTLINE_GRAFANA_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    const j = journalIn(out);
    expect(grafana.problems).toEqual([]);
    const [fault, run, ...rest] = grafana.annotations;
    expect(rest).toEqual([]);
    const tags = ['faultline', 'experiment:pause-primary', `run:${j.runId}`];
    const pause = j.faults[0]!;
    expect(fault).toEqual({ time: Math.floor(pause.injectedAt!), timeEnd: Math.floor(pause.revertedAt!), tags: [...tags, 'fault:pause-1', 'kind:pause'], text: expect.stringContaining('pause "pause-1" on primary, reverted') });
    expect(run).toMatchObject({ time: Math.floor(j.startedAt), timeEnd: Math.floor(j.endedAt), tags: [...tags, 'outcome:passed'] });
    expect(run!.text).toContain('PASS writes recovers within 5s');
    expect(JSON.stringify(j)).not.toContain(TOKEN);
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('records a refusal as a warning in the journal and keeps the exit code', async () => {
    grafana = await startFakeGrafana({ token: TOKEN });
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet', '--annotate', `grafana=${grafana.url}`], { env: { FAULTLINE_GRAFANA_TOKEN: 'not-the-token' } });
    expect(r.code, r.stderr).toBe(0);
    const j = journalIn(out);
    expect(j.status).toBe('completed');
    expect(j.events.filter((e) => e.type === 'revert').map((e) => e.type === 'revert' && e.ok)).toEqual([true]);
    const warnings = j.events.filter((e) => e.type === 'log' && e.level === 'warn').map((e) => (e.type === 'log' ? e.message : ''));
    expect(warnings).toEqual([`Grafana at ${grafana.url}/api/annotations refused an annotation: HTTP 401 {"message":"Unauthorized"}`]);
    expect(r.stderr).toContain('warning: Grafana at');
  });

  it('refuses a --annotate that is not grafana=URL before touching anything (exit 2)', async () => {
    const { file, out } = await pausedServiceExperiment();
    for (const bad of ['grafana', 'grafana=ftp://x', 'grafana=http://admin:secret@127.0.0.1:3000', 'datadog=http://x']) {
      const r = await runCli(['run', file, '--out', out, '--annotate', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--annotate/);
    }
  });
});
