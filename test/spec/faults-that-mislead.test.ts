// Faults a file can declare that would change nothing, or hold for an absurd time: refused at
// validate, located, with what to write instead.
import { describe, expect, it } from 'vitest';
import { DockerDriver } from '../../src/drivers/docker/docker-driver.js';
import { expiryOf } from '../support/faults.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { diagnosticsOf, onlyDiagnostic, processExperiment } from './helpers.js';

function dockerExperiment(faults: string, extra = ''): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: d }
spec:
  driver: docker
  targets:
    web: { selector: { labels: { app: web } } }
    db: { selector: { labels: { app: db } } }
  faults:
${faults}
${extra}`;
}

describe('faults that change nothing', () => {
  it('latency with delay 0ms and no jitter', () => {
    expect(onlyDiagnostic(dockerExperiment('    - latency: { target: web, delay: 0ms }\n      for: 5s'))).toMatchObject({
      line: 10, column: 38, path: 'spec.faults[0].latency.delay', message: expect.stringMatching(/^this fault would change nothing: a latency with delay 0ms and no jitter adds no delay/),
    });
    // Jitter alone does vary delays: accepted.
    expect(() => parseExperiment(dockerExperiment('    - latency: { target: web, delay: 0ms, jitter: 20ms }\n      for: 5s'), 'x.yaml')).not.toThrow();
  });

  it('loss of 0%', () => {
    expect(onlyDiagnostic(dockerExperiment('    - loss: { target: web, percent: 0% }\n      for: 5s')).message).toMatch(/^this fault would change nothing: a loss of 0% loses nothing/);
  });

  it.each(['docker', 'process'])('a partition from a group to itself (%s driver), at the second name', (driver) => {
    const text = driver === 'docker' ? dockerExperiment('    - partition: { from: web, to: web }\n      for: 5s') : processExperiment('    - partition: { from: db, to: db }\n      for: 5s');
    const d = onlyDiagnostic(text);
    expect(d.path).toBe('spec.faults[0].partition.to');
    expect(d.message).toMatch(/^a partition from "(web|db)" to itself would change nothing/);
  });

  it('process driver: two groups sharing a service', () => {
    const text = processExperiment('    - partition: { from: both, to: db }\n      for: 5s').replace('    db: { selector: { names: [db] } }', '    db: { selector: { names: [db] } }\n    both: { selector: { names: [api, db] } }');
    expect(onlyDiagnostic(text).message).toBe('db is in both "both" and "db", so would be partitioned from itself; make the groups disjoint');
  });
});

describe('holds longer than safety.maxHold', () => {
  it('for: 48h on a pause is refused, naming the setting and how to raise it', () => {
    const d = onlyDiagnostic(dockerExperiment('    - pause: { target: web }\n      for: 48h'));
    expect(d).toMatchObject({ line: 11, column: 12, path: 'spec.faults[0].for' });
    expect(d.message).toBe('held for 48h, longer than safety.maxHold (the default 1h); if that is meant and not a typo, raise it in the file: spec.safety.maxHold: 48h');
  });

  it('raising safety.maxHold in the file allows it; the limit applies to every held fault', () => {
    expect(() => parseExperiment(dockerExperiment('    - pause: { target: web }\n      for: 48h', '  safety: { maxHold: 2d }'), 'x.yaml')).not.toThrow();
    const two = diagnosticsOf(dockerExperiment('    - pause: { target: web }\n      for: 90m\n    - latency: { target: db, delay: 1s }\n      for: 1h30m1s', '  safety: { maxHold: 1h30m }'));
    expect(two.map((d) => `${d.path}: ${d.message}`)).toEqual(['spec.faults[1].for: held for 1h30m1s, longer than safety.maxHold (1h30m); if that is meant and not a typo, raise it in the file: spec.safety.maxHold: 1h30m1s']);
  });

  it('expiry texts print readable durations, not raw milliseconds', () => {
    // No engine is contacted: the driver is only asked how its pause would expire.
    const driver = new DockerDriver({} as never, { where: 'test', holderImage: 'e', helperImage: 'n' });
    expect(expiryOf(driver, 'pause', 172_802_000)).toContain('(48h2s)');
  });
});
