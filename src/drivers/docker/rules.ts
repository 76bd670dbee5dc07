// iptables-restore text for faultline-owned chains. Every rule faultline adds lives in a chain named
// FL-<run id>-<tag>, reached by one jump per hook whose comment carries the run id; removing that
// chain and those jumps removes exactly what was added and nothing else.
import { createHash } from 'node:crypto';

export type Table = 'filter' | 'nat';
export type Hook = 'INPUT' | 'OUTPUT';

export interface ChainRef {
  table: Table;
  chain: string;
  hooks: Hook[];
  comment: string;
}

export interface ChainSpec extends ChainRef {
  /** Rule bodies, without "-A <chain>". */
  rules: string[];
}

const SAFE = /[^A-Za-z0-9_.-]/g;

/**
 * FL-<8 characters of the run id>-<6 hex of what the chain does>: 18 characters, under iptables'
 * 28. Run ids start with a timestamp and end with randomness, so a long one contributes its tail.
 */
export function runTag(runId: string): string {
  const alnum = runId.replace(/[^A-Za-z0-9]/g, '');
  return (alnum.length <= 8 ? alnum : alnum.slice(-8)) || 'run';
}

export function chainName(runId: string, what: string): string {
  const run = runTag(runId);
  const tag = createHash('sha256').update(what).digest('hex').slice(0, 6);
  return `FL-${run}-${tag}`;
}

export function jumpComment(runId: string): string {
  return `faultline:run=${runId.replace(SAFE, '').slice(0, 200)}`;
}

function byTable<T extends ChainRef>(specs: readonly T[]): Map<Table, T[]> {
  const m = new Map<Table, T[]>();
  for (const s of specs) m.set(s.table, [...(m.get(s.table) ?? []), s]);
  return m;
}

function jump(s: ChainRef, hook: Hook, op: '-I' | '-D'): string {
  return `${op} ${hook}${op === '-I' ? ' 1' : ''} -m comment --comment ${s.comment} -j ${s.chain}`;
}

/** Declares (and so empties) each chain, fills it, and puts its jumps first in their hooks. */
export function addText(specs: readonly ChainSpec[]): string {
  let out = '';
  for (const [table, list] of byTable(specs)) {
    out += `*${table}\n`;
    for (const s of list) out += `:${s.chain} - [0:0]\n`;
    for (const s of list) for (const r of s.rules) out += `-A ${s.chain} ${r}\n`;
    for (const s of list) for (const h of s.hooks) out += `${jump(s, h, '-I')}\n`;
    out += 'COMMIT\n';
  }
  return out;
}

/**
 * The fast revert: assumes the jumps and chains are all there (the usual case), so it needs no
 * iptables-save first. iptables-restore is atomic per table: if anything is missing, nothing
 * changes and the caller falls back to `removeFromSaved`.
 */
export function removeText(specs: readonly ChainRef[]): string {
  let out = '';
  for (const [table, list] of byTable(specs)) {
    out += `*${table}\n`;
    for (const s of list) for (const h of s.hooks) out += `${jump(s, h, '-D')}\n`;
    for (const s of list) out += `-F ${s.chain}\n-X ${s.chain}\n`;
    out += 'COMMIT\n';
  }
  return out;
}

/** Which of `chains` exist, and every rule that jumps to them, in an iptables-save dump. */
export function parseSaved(save: string, chains: ReadonlySet<string>): { present: Map<Table, Set<string>>; jumps: Map<Table, string[]> } {
  const present = new Map<Table, Set<string>>();
  const jumps = new Map<Table, string[]>();
  let table: Table | undefined;
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) {
      const t = line.slice(1).trim();
      table = t === 'filter' || t === 'nat' ? t : undefined;
      continue;
    }
    if (!table) continue;
    if (line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0]!;
      if (chains.has(name)) present.set(table, (present.get(table) ?? new Set()).add(name));
    } else if (line.startsWith('-A ')) {
      const target = /\s-j\s+(\S+)/.exec(line)?.[1];
      const hook = line.split(' ')[1]!;
      if (target && chains.has(target) && !chains.has(hook)) jumps.set(table, [...(jumps.get(table) ?? []), line]);
    }
  }
  return { present, jumps };
}

/** The tolerant revert: deletes only the jumps and chains a fresh iptables-save shows. */
export function removeFromSaved(save: string, specs: readonly ChainRef[]): string {
  const { present, jumps } = parseSaved(save, new Set(specs.map((s) => s.chain)));
  let out = '';
  for (const table of ['filter', 'nat'] as const) {
    const js = jumps.get(table) ?? [];
    const cs = present.get(table) ?? new Set<string>();
    if (!js.length && !cs.size) continue;
    out += `*${table}\n`;
    for (const j of js) out += `${j.replace(/^-A /, '-D ')}\n`;
    for (const c of cs) out += `-F ${c}\n-X ${c}\n`;
    out += 'COMMIT\n';
  }
  return out;
}
