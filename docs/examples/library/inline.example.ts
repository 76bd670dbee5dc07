import { expect, it } from 'vitest';
import { experiment } from 'faultline';
import 'faultline/vitest';

it('an inline experiment, with every default overridden', async () => {
  const result = await experiment(
    {
      apiVersion: 'faultline/v1',
      kind: 'Experiment',
      metadata: { name: 'kill-web' },
      spec: {
        driver: 'process',
        services: { web: { command: ['node', 'server.js', '--port=7001'], restart: 'always', ready: { tcp: '127.0.0.1:7001' } } },
        targets: { web: { selector: { names: ['web'] } } },
        probes: { up: { http: { url: 'http://127.0.0.1:7001/' }, every: '100ms' } },
        faults: [{ kill: { target: 'web' }, at: '1s' }],
        objectives: [{ recovery: { probe: 'up', within: '3s' } }],
      },
    },
    { baseDir: 'test/service', out: 'reports', seed: 42, log: (line) => console.log(line) },
  ).run();
  expect(result).toMeetObjectives();
});
