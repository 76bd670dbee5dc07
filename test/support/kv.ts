// Experiments against the example key-value service, on ports each test file chooses so files can
// run in parallel. Returns the YAML text; tests write it where they need it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const KV_SERVER = path.join(REPO, 'examples/kv/server.js');
export const CLI = path.join(REPO, 'bin/faultline');

export interface KvPorts {
  primary: number;
  replica: number;
  /** The link the replica uses to reach the primary. */
  link: number;
  /** A link clients use to reach the primary (so client-facing faults can be injected). */
  clientLink: number;
}

/**
 * Fixed test ports live in 27000-27999, below Linux's ephemeral range (32768-60999): a port in
 * that range can be taken at any moment by some client connection's local end, and the test that
 * needs it would fail for no reason of its own.
 */
export function kvPorts(base: number): KvPorts {
  return { primary: base, replica: base + 1, link: base + 2, clientLink: base + 3 };
}

export function kvServices(p: KvPorts, opts: { sync?: boolean; restart?: string } = {}): string {
  return `
  services:
    primary:
      command: [node, ${KV_SERVER}, --role=primary, --port=${p.primary}${opts.sync ? ', --sync, --ack-timeout=300' : ''}]
      restart: ${opts.restart ?? 'always'}
      ready: { tcp: 127.0.0.1:${p.primary} }
    replica:
      command: [node, ${KV_SERVER}, --role=replica, --port=${p.replica}, --primary=127.0.0.1:${p.link}]
      restart: always
      ready: { http: http://127.0.0.1:${p.replica}/ready }
  links:
    replica-to-primary: { from: replica, to: primary, listen: 127.0.0.1:${p.link}, upstream: 127.0.0.1:${p.primary} }
    clients-to-primary: { to: primary, listen: 127.0.0.1:${p.clientLink}, upstream: 127.0.0.1:${p.primary} }`;
}

export function experimentYaml(name: string, body: string): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: process
  seed: 1
${body}
`;
}

export function writeTemp(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-test-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
