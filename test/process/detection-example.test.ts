// examples/detection/kill-primary.yaml as a user runs it: the built CLI starts the key-value
// primary, Alertmanager and Prometheus as services, kills the primary, and judges recovery and
// detection. Fixed ports 27401/27490/27493: run under the shared lock (flock /work/test.lock).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/domain/model.js';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { runCli } from '../support/cli.js';
import { REPO, alive } from '../support/kv.js';
import { servicePids } from '../support/run.js';

const out = mkdtempSync(path.join(tmpdir(), 'faultline-detection-example-'));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync('/tmp/faultline-example-detection', { recursive: true, force: true });
});

describe('examples/detection/kill-primary.yaml', () => {
  it('shows broken, noticed and recovered, and passes', async () => {
    const r = await runCli(['run', 'examples/detection/kill-primary.yaml', '--out', out, '--json', '--markdown', path.join(out, 'summary.md'), '--html', path.join(out, 'report.html')], { cwd: REPO });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Journal;
    const [recovery, detection] = j.verdicts;
    expect(recovery).toMatchObject({ kind: 'recovery', status: 'met' });
    expect(detection).toMatchObject({ kind: 'detection', observer: 'alerts', status: 'met' });
    // The alert's `for: 2s` passes before it can fire; the primary is back only after its 6s restart delay.
    expect(detection!.measured!).toBeGreaterThanOrEqual(2000);
    expect(detection!.figures.resolvedMs).not.toBeNull();
    expect(r.stderr).toMatch(/broken \+[\d.]+s \(kill-1 \(kill\)\) → noticed \+[\d.]+s \(InstanceDown fires within 30s, resolves within 30s; [\d.]+s after\) → recovered \+[\d.]+s/);
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain('**Detection:** broken +');
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<g class="marker noticed">');
    for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
    for (const port of [27401, 27490, 27493]) expect(await addressInUse(`127.0.0.1:${port}`)).toBe(false);
    expect(existsSync(path.join(REPO, 'examples/detection/data'))).toBe(false);
  });
});
