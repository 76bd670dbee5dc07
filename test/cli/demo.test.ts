import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../src/domain/model.js';
import { runCli } from '../support/cli.js';
import { processLeftovers } from '../support/leftovers.js';

describe('faultline demo (spawned CLI)', () => {
  it('kills the primary within the SLO, breaches it with a partition, writes journals and JUnit, leaves nothing', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-demo-'));
    const started = Date.now();
    const r = await runCli(['demo', '--out', out]);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.stderr).toMatch(/Demo finished as designed/);
    const runs = readdirSync(out).filter((d) => !d.endsWith('.xml'));
    const journals = runs.map((d) => JSON.parse(readFileSync(path.join(out, d, 'journal.json'), 'utf8')) as Journal);
    const kill = journals.find((j) => j.experiment.name === 'kill-primary')!;
    const partition = journals.find((j) => j.experiment.name === 'partition-replica')!;
    expect(kill.verdicts.every((v) => v.met)).toBe(true);
    expect(partition.verdicts.find((v) => v.kind === 'availability')!.met).toBe(false);
    expect(partition.samples.some((s) => /replica did not acknowledge/.test(s.error ?? ''))).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.xml'))).toHaveLength(2);
    for (const j of journals) expect(await processLeftovers(j.runId, [27101, 27102, 27111])).toEqual([]);
  });
});
