// A short real run for the publishing tests: one key-value service on a free port, paused for a
// moment (a held fault: injected, then reverted), a probe and a recovery objective. The probe's
// timeout is generous: the suite runs on a busy 2-core machine, and steady state must hold.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { KV_SERVER, experimentYaml, writeTemp } from './kv.js';

export async function pausedServiceExperiment(name = 'pause-primary'): Promise<{ file: string; out: string }> {
  const port = await freePort();
  const file = writeTemp(
    'experiment.yaml',
    experimentYaml(
      name,
      `  services:
    primary:
      command: [node, ${KV_SERVER}, --role=primary, --port=${port}]
      ready: { tcp: 127.0.0.1:${port} }
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${port}/put?k=a&v=1" }, every: 100ms, timeout: 2s }
  steadyState: [writes]
  faults:
    - pause: { target: primary }
      at: 200ms
      for: 400ms
  objectives:
    - recovery: { probe: writes, within: 5s }
  observe: { steadyState: 300ms, recoveryWindow: 3s }`,
    ),
  );
  return { file, out: mkdtempSync(path.join(tmpdir(), 'faultline-out-')) };
}
