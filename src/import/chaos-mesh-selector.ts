// Chaos Mesh's `selector` and `mode`/`value` as a faultline target group: its selector and `pick`.
// Chaos Mesh selects in the resource's own namespace when `namespaces` is not given; so does this.
import type { Draft, Findings, PathSegment } from './findings.js';
import { isRecord } from './values.js';

export type Invalid = (path: PathSegment[], message: string) => void;

const HANDLED = ['namespaces', 'labelSelectors', 'expressionSelectors', 'fieldSelectors', 'pods', 'nodes'];

/** A faultline `selector` from a Chaos Mesh one; what has no equivalent is a gap. */
export function selectorOf(sel: unknown, path: PathSegment[], namespace: string | undefined, f: Findings, draft: Draft, outPath: PathSegment[], invalid: Invalid): Record<string, unknown> {
  if (!isRecord(sel)) {
    invalid(path, 'expected a selector (namespaces, labelSelectors, pods ...)');
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sel)) {
    if (!HANDLED.includes(key)) f.gap([...path, key], `selector.${key}: faultline has no such selector`, draft, outPath);
  }
  const pods = sel.pods;
  if (isRecord(pods) && Object.keys(pods).length > 0) {
    const namespaces = Object.keys(pods);
    if (namespaces.length > 1) f.gap([...path, 'pods'], `selector.pods names pods in ${namespaces.length} namespaces: a faultline selector takes names in one namespace`, draft, outPath);
    const ns = namespaces[0]!;
    out.names = (pods[ns] as unknown[]).map(String);
    out.namespaces = [ns];
    f.map([...path, 'pods'], `selector.pods → selector.names ${JSON.stringify(out.names)} in namespace ${ns}`);
    const others = HANDLED.filter((k) => k !== 'pods' && sel[k] !== undefined);
    if (others.length > 0) f.note([...path, 'pods'], `selector.pods is set, so Chaos Mesh ignores ${others.join(', ')}; so does the import`);
    return out;
  }
  const namespaces = Array.isArray(sel.namespaces) && sel.namespaces.length > 0 ? sel.namespaces.map(String) : namespace ? [namespace] : undefined;
  if (namespaces) {
    out.namespaces = namespaces;
    f.map(sel.namespaces ? [...path, 'namespaces'] : ['metadata', 'namespace'], `${sel.namespaces ? 'selector.namespaces' : "the resource's namespace"} → selector.namespaces ${JSON.stringify(namespaces)}`);
  } else {
    f.note(path, "no namespace: faultline selects in the kubeconfig context's namespace (Chaos Mesh: the namespace the resource is created in)");
  }
  if (isRecord(sel.labelSelectors)) {
    out.labels = Object.fromEntries(Object.entries(sel.labelSelectors).map(([k, v]) => [k, String(v)]));
    f.map([...path, 'labelSelectors'], 'selector.labelSelectors → selector.labels');
  }
  if (Array.isArray(sel.expressionSelectors)) {
    out.expressions = sel.expressionSelectors.map((e) => (isRecord(e) ? { key: e.key, operator: e.operator, ...(Array.isArray(e.values) ? { values: e.values.map(String) } : {}) } : e));
    f.map([...path, 'expressionSelectors'], 'selector.expressionSelectors → selector.expressions');
  }
  if (isRecord(sel.fieldSelectors)) {
    out.fields = Object.fromEntries(Object.entries(sel.fieldSelectors).map(([k, v]) => [k, String(v)]));
    f.map([...path, 'fieldSelectors'], 'selector.fieldSelectors → selector.fields');
  }
  if (Array.isArray(sel.nodes) && sel.nodes.length > 0) {
    if (sel.nodes.length > 1) f.gap([...path, 'nodes'], `selector.nodes lists ${sel.nodes.length} nodes: a faultline selector takes one node`, draft, outPath);
    out.node = String(sel.nodes[0]);
    f.map([...path, 'nodes'], `selector.nodes → selector.node ${out.node}`);
  }
  return out;
}

/** `mode` and `value` as a faultline `pick`. */
export function pickOf(spec: Record<string, unknown>, path: PathSegment[], f: Findings, draft: Draft, outPath: PathSegment[], invalid: Invalid): unknown {
  const mode = spec.mode;
  const value = spec.value;
  const number = (what: string, max?: number): number | undefined => {
    if (value === undefined || value === null || value === '') {
      invalid([...path.slice(0, -1), 'mode'], `mode ${mode} needs a value (${what})`);
      return undefined;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || (max !== undefined && n > max)) {
      invalid([...path.slice(0, -1), 'value'], `mode ${mode}: value must be ${what} (found ${JSON.stringify(value)})`);
      return undefined;
    }
    return n;
  };
  const at = [...path.slice(0, -1), 'mode'];
  switch (mode) {
    case 'one':
      f.map(at, 'mode one → pick {count: 1}');
      return { count: 1 };
    case 'all':
      f.map(at, 'mode all → pick all');
      return 'all';
    case 'fixed': {
      const n = number('a whole number of pods above 0');
      if (n !== undefined) f.map(at, `mode fixed, value ${n} → pick {count: ${n}}`);
      return n === undefined ? undefined : { count: n };
    }
    case 'fixed-percent': {
      const n = number('a percentage from 1 to 100', 100);
      if (n !== undefined) f.map(at, `mode fixed-percent, value ${n} → pick {percent: ${n}%}`);
      return n === undefined ? undefined : { percent: `${n}%` };
    }
    case 'random-max-percent': {
      const n = number('a percentage from 1 to 100', 100);
      if (n === undefined) return undefined;
      f.gap(at, `mode random-max-percent ${n}: faultline picks a fixed share, not a random one up to a maximum; written as pick {percent: ${n}%}, the most Chaos Mesh could hit`, draft, outPath);
      return { percent: `${n}%` };
    }
    default:
      invalid(at, mode === undefined ? 'a mode is required: one, all, fixed, fixed-percent or random-max-percent' : `unknown mode ${JSON.stringify(mode)}: expected one, all, fixed, fixed-percent or random-max-percent`);
      return undefined;
  }
}
