// Label and field selectors as the API server parses them. Parsing errors surface as 400s so a
// driver that builds a malformed selector fails the same way it would against a real cluster.

export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas that are not inside a parenthesised value set. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseLabelSelector(text: string | undefined): Requirement[] {
  if (!text) return [];
  return splitTop(text).map((part) => {
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim()).filter(Boolean);
      return { key: set[1]!, op: set[2] as 'in' | 'notin', values };
    }
    const neq = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(part);
    if (neq) return { key: neq[1]!, op: 'neq', value: neq[2]! };
    const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(part);
    if (eq) return { key: eq[1]!, op: 'eq', value: eq[2]! };
    const not = /^!\s*([^\s!=(),]+)$/.exec(part);
    if (not) return { key: not[1]!, op: 'notexists' };
    if (/^[^\s!=(),]+$/.test(part)) return { key: part, op: 'exists' };
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(part)}`);
  });
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

export interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

export function parseFieldSelector(text: string | undefined, supported: readonly string[]): FieldRequirement[] {
  if (!text) return [];
  return splitTop(text).map((part) => {
    const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${part}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!supported.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
    return { field, negate: m[2] === '!=', value: m[3]!.trim() };
  });
}

export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => {
    const actual = r.field.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
    const equal = String(actual ?? '') === r.value;
    return r.negate ? !equal : equal;
  });
}
