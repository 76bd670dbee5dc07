// `faultline reap`: deletes what faultline left in a Kubernetes cluster once its expiry has passed,
// from the cluster's own marks, with no ledger needed: what the reap CronJob runs, so a runner
// that died (SIGKILL, a lost node) cannot leave a partition in place for longer than its expiry
// plus the CronJob's period. Idempotent; not-yet-expired objects are reported and left alone.
import type { RunContext } from '../domain/context.js';
import type { KubernetesDriver } from '../drivers/kubernetes/kubernetes-driver.js';
import type { ReapResult } from '../drivers/kubernetes/reap.js';
import type { Leftover } from '../drivers/kubernetes/rollback.js';
import { EXIT } from '../engine/outcome.js';
import { randomStream } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';
import { createDriver } from './create-driver.js';
import type { Terminal } from './terminal.js';

export interface ReapOptions {
  context?: string;
  kubeconfig?: string;
  namespace?: string[];
  dryRun?: boolean;
  json?: boolean;
}

export async function reapCommand(o: ReapOptions, term: Terminal): Promise<number> {
  const driver = (await createDriver('kubernetes', {
    baseDir: process.cwd(),
    clock: systemClock,
    ...(o.context ? { kubeContext: o.context } : {}),
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
  })) as KubernetesDriver;
  const log = { info: (m: string) => term.err(m), warn: (m: string) => term.err(`warning: ${m}`), error: (m: string) => term.err(`error: ${m}`) };
  const ctx: RunContext = { clock: systemClock, signal: new AbortController().signal, log, runId: 'reap', rng: randomStream('reap', 'reap') };
  const namespaces = o.namespace?.length ? [...new Set(o.namespace)] : undefined;
  const r = await driver.reap({ ...(namespaces ? { namespaces } : {}), ...(o.dryRun ? { dryRun: true } : {}) }, ctx);
  const { describeLeftover } = await import('../drivers/kubernetes/rollback.js');
  if (r.note) term.err(`note: ${r.note}`);
  if (o.json) term.out(JSON.stringify(asJson(r, o.dryRun ?? false, driver.api.identity.context), null, 2));
  else term.out(renderReap(r, o.dryRun ?? false, driver.api.identity.context, describeLeftover));
  return r.failed.length > 0 ? EXIT.unclean : EXIT.ok;
}

function asJson(r: ReapResult, dryRun: boolean, context: string) {
  return {
    context,
    namespaces: r.namespaces ?? 'all',
    ...(r.note ? { note: r.note } : {}),
    dryRun,
    now: new Date(r.now).toISOString(),
    expired: r.expired,
    removed: r.removed,
    failed: r.failed,
    pending: r.pending,
    unmarked: r.unmarked,
  };
}

function renderReap(r: ReapResult, dryRun: boolean, context: string, describe: (l: Leftover) => string): string {
  const where = r.namespaces ? `namespace(s) ${r.namespaces.join(', ')}` : 'all namespaces';
  const lines = [`faultline objects in ${where} (context "${context}"), expiries compared with ${new Date(r.now).toISOString()}:`];
  const run = (l: Leftover) => `run ${l.runId ?? 'unknown'}`;
  const failedOf = new Map(r.failed.map((f) => [f.leftover, f.error]));
  for (const l of r.expired) {
    const what = `${describe(l)}, ${run(l)}, expired ${l.expiresAt}`;
    if (dryRun) lines.push(`  would remove  ${what}`);
    else if (failedOf.has(l)) lines.push(`  FAILED        ${what}: ${failedOf.get(l)}`);
    else lines.push(`  removed       ${what}`);
  }
  for (const l of r.pending) lines.push(`  left alone    ${describe(l)}, ${run(l)}, expires ${l.expiresAt} (not yet expired)`);
  for (const l of r.unmarked) lines.push(`  left alone    ${describe(l)}, ${run(l)}, no expiry recorded (\`faultline rollback --run <id>\` removes it)`);
  const total = r.expired.length + r.pending.length + r.unmarked.length;
  if (total === 0) {
    lines.push('  nothing found');
    return lines.join('\n');
  }
  const parts = [
    dryRun ? `${r.expired.length} expired (dry run: nothing removed)` : `${r.removed.length} expired object(s) removed`,
    ...(r.failed.length ? [`${r.failed.length} could not be removed`] : []),
  ];
  if (r.pending.length) {
    const next = Math.min(...r.pending.map((l) => Date.parse(l.expiresAt!)));
    parts.push(`${r.pending.length} not yet expired, left alone (their run may still be going; the first expires ${new Date(next).toISOString()})`);
  }
  if (r.unmarked.length) parts.push(`${r.unmarked.length} without an expiry, left alone`);
  lines.push(parts.join('; '));
  return lines.join('\n');
}
