// The well-known place for ledgers and the halt lock: --state-dir, else FAULTLINE_STATE_DIR, else
// /var/lib/faultline inside a Kubernetes pod, else $XDG_STATE_HOME/faultline or ~/.local/state/faultline.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FAULTLINE_STATE_DIR) return path.resolve(env.FAULTLINE_STATE_DIR);
  if (env.KUBERNETES_SERVICE_HOST && existsSync('/var/run/secrets/kubernetes.io/serviceaccount')) return '/var/lib/faultline';
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'faultline');
}

export const runsDir = (stateDir: string) => path.join(stateDir, 'runs');
export const ledgerPath = (stateDir: string, runId: string) => path.join(runsDir(stateDir), `${runId}.ledger`);
export const haltLockPath = (stateDir: string) => path.join(stateDir, 'halt.lock');
