// Where a read's value is in a reply (http body, exec output): the whole text or a JSON path.
// An empty value, or a path that leads nowhere, means the key is absent.
import type { ReadValueSpec } from '../../domain/workload.js';

export function valueReader(spec: ReadValueSpec): (text: string) => string | null {
  if ('body' in spec) return (text) => text.trim() || null;
  const steps = [...spec.json.matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  return (text) => {
    let cur: unknown;
    try {
      cur = JSON.parse(text);
    } catch {
      return null;
    }
    for (const step of steps) {
      if (cur === null || typeof cur !== 'object') return null;
      cur = (cur as Record<string | number, unknown>)[step];
    }
    if (cur === null || cur === undefined) return null;
    const value = typeof cur === 'string' ? cur : JSON.stringify(cur);
    return value === '' ? null : value;
  };
}
