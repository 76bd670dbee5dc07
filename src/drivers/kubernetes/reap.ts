// Removing what faultline left in the cluster once its faultline.io/expires-at has passed, whichever
// run created it and whether or not a ledger survives anywhere: the policy or helper has outlived
// every run that could still need it. Objects not yet expired are left alone, since their run may
// be alive on another machine. Used by `faultline reap` (the reap CronJob) and before every run.
import type { RunContext } from '../../domain/context.js';
import { statusCodeOf } from './api-errors.js';
import type { ClusterApi } from './cluster-api.js';
import { findLeftovers, removeLeftover, type Leftover } from './rollback.js';

export interface ReapQuery {
  /** Namespaces to search. Default: all, falling back to `fallbackNamespace` without cluster-wide list rights. */
  namespaces?: string[];
  /** Only report what would be removed. */
  dryRun?: boolean;
}

export interface ReapResult {
  /** What was searched; undefined means every namespace. */
  namespaces: string[] | undefined;
  /** Why fewer namespaces were searched than asked for. */
  note?: string;
  /** The instant expiries were compared against, epoch ms. */
  now: number;
  expired: Leftover[];
  /** Still within their expiry: their run may be alive elsewhere. */
  pending: Leftover[];
  /** No readable expiry (made by an older faultline, or edited): only `faultline rollback` removes these. */
  unmarked: Leftover[];
  removed: Leftover[];
  failed: { leftover: Leftover; error: string }[];
}

export interface ReapSettings {
  image: string;
  helperTimeoutMs: number;
  /** Searched instead of every namespace when the identity may not list cluster-wide. */
  fallbackNamespace: string;
}

/** Sorts leftovers by their expiry relative to `now`. Pure. */
export function byExpiry(found: Leftover[], now: number): Pick<ReapResult, 'expired' | 'pending' | 'unmarked'> {
  const out: Pick<ReapResult, 'expired' | 'pending' | 'unmarked'> = { expired: [], pending: [], unmarked: [] };
  for (const l of found) {
    const at = l.expiresAt === null ? NaN : Date.parse(l.expiresAt);
    if (Number.isNaN(at)) out.unmarked.push(l);
    else if (at <= now) out.expired.push(l);
    else out.pending.push(l);
  }
  return out;
}

export async function reapExpired(api: ClusterApi, q: ReapQuery, settings: ReapSettings, ctx: RunContext): Promise<ReapResult> {
  let namespaces = q.namespaces;
  let note: string | undefined;
  let found: Leftover[];
  try {
    found = await findLeftovers(api, namespaces ? { namespaces } : {});
  } catch (err) {
    if (namespaces || statusCodeOf(err) !== 403) throw err;
    namespaces = [settings.fallbackNamespace];
    note =
      `not allowed to list across all namespaces (${(err as Error).message.split('. Grant')[0]}); ` +
      `searched only namespace "${settings.fallbackNamespace}". Pass --namespace, or bind the faultline-reaper ClusterRole (deploy/kubernetes/reaper.yaml), to reap everywhere`;
    found = await findLeftovers(api, { namespaces });
  }
  const now = ctx.clock.now();
  const sorted = byExpiry(found, now);
  const result: ReapResult = { namespaces, ...(note ? { note } : {}), now, ...sorted, removed: [], failed: [] };
  if (q.dryRun) return result;
  for (const l of sorted.expired) {
    try {
      await removeLeftover(api, l, namespaces, settings.image, settings.helperTimeoutMs, ctx);
      result.removed.push(l);
    } catch (err) {
      result.failed.push({ leftover: l, error: (err as Error).message });
    }
  }
  return result;
}
