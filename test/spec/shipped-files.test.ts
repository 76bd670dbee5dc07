// Every experiment and schedule the project ships must stay valid as the format evolves.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/spec/load-experiment.js';
import { REPO } from '../support/kv.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

const experiments = [...yamlFiles('experiments'), ...yamlFiles('examples')].filter(
  // Kubernetes manifests, schedules, scenarios and monitoring configurations (Prometheus,
  // Alertmanager) live beside experiments; they are checked elsewhere.
  (f) => !f.endsWith('app.yaml') && !f.includes('weekday-monkey') && !f.endsWith('gameday.yaml') && !f.includes(`${path.sep}monitoring${path.sep}`),
);

describe('shipped experiment files', () => {
  it('there are some', () => expect(experiments.length).toBeGreaterThanOrEqual(10));
  it.each(experiments)('%s is valid', async (file) => {
    const loaded = await loadExperiment(path.join(REPO, file));
    expect(loaded.experiment.kind).toBe('Experiment');
  });
});
