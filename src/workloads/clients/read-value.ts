// Where a read's value is in a reply (http body, exec output): the whole text or a JSON path.
// An empty value, or a path that leads nowhere, means the key is absent.
import { parseJsonPath, selectJsonPath } from '../../domain/json-path.js';
import type { ReadValueSpec } from '../../domain/workload.js';

export function valueReader(spec: ReadValueSpec): (text: string) => string | null {
  if ('body' in spec) return (text) => text.trim() || null;
  const steps = parseJsonPath(spec.json);
  // The workload schema admits only paths of the subset.
  if ('error' in steps) throw new Error(`value.json ${spec.json}: ${steps.error}`);
  return (text) => {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return null;
    }
    const [cur] = selectJsonPath(doc, steps);
    if (cur === null || cur === undefined) return null;
    const value = typeof cur === 'string' ? cur : JSON.stringify(cur);
    return value === '' ? null : value;
  };
}
