// Selector -> candidate containers. The engine narrows them with `where` and `pick`; this only
// finds every running container the selector describes, minus faultline's own.
import type Dockerode from 'dockerode';
import type { SelectorSpec } from '../../domain/experiment.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { Target } from '../../domain/model.js';
import { nameOf, targetFromList } from './facts.js';
import { COMPOSE_PROJECT, COMPOSE_SERVICE, HELPER_LABEL } from './labels.js';

/** "/regex/" or an exact name. */
export function nameMatcher(pattern: string): (name: string) => boolean {
  if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    let re: RegExp;
    try {
      re = new RegExp(pattern.slice(1, -1));
    } catch (err) {
      throw new InvalidInputError(`selector name ${pattern} is not a valid regular expression: ${(err as Error).message}`);
    }
    return (n) => re.test(n);
  }
  return (n) => n === pattern;
}

/** The engine-side filters: labels and network narrow the list before it crosses the socket. */
export function listFilters(sel: SelectorSpec): Record<string, string[]> {
  const label = Object.entries(sel.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (sel.compose?.project) label.push(`${COMPOSE_PROJECT}=${sel.compose.project}`);
  if (sel.compose?.service) label.push(`${COMPOSE_SERVICE}=${sel.compose.service}`);
  const filters: Record<string, string[]> = {};
  if (label.length) filters.label = label;
  if (sel.network) filters.network = [sel.network];
  return filters;
}

export async function findCandidates(docker: Dockerode, sel: SelectorSpec, group: string, selfId: string | undefined): Promise<Target[]> {
  const byName = sel.name !== undefined ? nameMatcher(sel.name) : undefined;
  const names = sel.names ? new Set(sel.names) : undefined;
  const list = await docker.listContainers({ all: false, filters: listFilters(sel) });
  return list
    .filter((c) => c.Labels?.[HELPER_LABEL] === undefined && c.Id !== selfId)
    .filter((c) => {
      const name = nameOf(c.Names, c.Id);
      if (names && !names.has(name)) return false;
      if (byName && !byName(name)) return false;
      // A network filter matches by name or id prefix; keep only exact name/id members.
      if (sel.network && !Object.entries(c.NetworkSettings?.Networks ?? {}).some(([n, s]) => n === sel.network || s.NetworkID === sel.network)) return false;
      return true;
    })
    .map((c) => targetFromList(c, group))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
