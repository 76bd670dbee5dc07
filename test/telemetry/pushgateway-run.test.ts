// `faultline run --pushgateway URL` against the real Prometheus Pushgateway (Debian's package), on a
// real process-driver run through the built CLI: the verdict metrics read back from the gateway's
// /metrics carry the scheduler's names, and a gateway that is not there is a warning only.
import { afterEach, describe, expect, it } from 'vitest';
import { journalIn, runCli } from '../support/cli.js';
import { startPushgateway, type PushgatewayServer } from '../support/pushgateway.js';
import { pausedServiceExperiment } from '../support/telemetry-run.js';

let gateway: PushgatewayServer | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

/** The samples of one metric family, label sets sorted as the gateway prints them. */
function samples(exposition: string, name: string): string[] {
  return exposition.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('faultline run --pushgateway URL (real Pushgateway, real processes)', () => {
  it("pushes the run's verdict metrics under the scheduler's names, grouped by job and experiment", async () => {
    gateway = await startPushgateway();
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet', '--pushgateway', gateway.url]);
    expect(r.code, r.stderr).toBe(0);
    const j = journalIn(out);
    const text = await gateway.metrics();
    const group = 'experiment="pause-primary",instance="",job="faultline"';
    expect(samples(text, 'faultline_schedule_runs_total')).toEqual([`faultline_schedule_runs_total{${group},status="completed"} 1`]);
    expect(samples(text, 'faultline_schedule_objectives_total')).toEqual([`faultline_schedule_objectives_total{${group},kind="recovery",result="met"} 1`]);
    expect(samples(text, 'faultline_schedule_faults_active')).toEqual([`faultline_schedule_faults_active{${group}} 0`]);
    const recoverySeconds = j.verdicts[0]!.measured! / 1000;
    const [sum, ...moreSums] = samples(text, 'faultline_schedule_recovery_seconds_sum');
    expect(moreSums).toEqual([]);
    expect(sum!.startsWith(`faultline_schedule_recovery_seconds_sum{${group}} `)).toBe(true);
    expect(Number(sum!.split(' ')[1])).toBeCloseTo(recoverySeconds, 9);
    expect(samples(text, 'faultline_schedule_recovery_seconds_count')).toEqual([`faultline_schedule_recovery_seconds_count{${group}} 1`]);
    // What only a schedule has is not pushed for a single run.
    expect(text).not.toMatch(/faultline_schedule_(skipped_total|next_run_timestamp_seconds|state)\{/);
    // The gateway stamps the push: the time of this run.
    const [pushTime] = samples(text, 'push_time_seconds').filter((l) => l.includes('job="faultline"'));
    expect(Number(pushTime!.split(' ')[1]) * 1000).toBeGreaterThanOrEqual(Math.floor(j.endedAt) - 1000);
  });

  it('warns in the journal and keeps the exit code when the gateway is not there', async () => {
    gateway = await startPushgateway();
    const url = gateway.url;
    await gateway.stop();
    gateway = undefined;
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet', '--pushgateway', url]);
    expect(r.code, r.stderr).toBe(0);
    const warnings = journalIn(out).events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^could not push the run's metrics to the Pushgateway at ${url}/?: .*ECONNREFUSED`))]);
  });
});
