// The JSONPath subset an http probe's `expect.json` (and a workload's `value.json`) reads: `$` followed by member names (`.name`,
// `['name']`, `["name"]`) and array indices (`[0]`). It selects at most one value, so what it
// means is never in doubt. Wildcards, slices, filters and recursive descent are refused with the
// subset named: jsonpath-plus is in node_modules only as @kubernetes/client-node's dependency, and
// making it ours would bring a second dependency (with script-evaluating filters) for what this
// subset covers. Pure.

export type JsonPathStep = { key: string } | { index: number };

const SUBSET = "faultline reads a subset of JSONPath: $ followed by .name, ['name'] or [index] (no wildcards, slices, filters or ..)";

/** The steps of `path`, or why it is not in the subset. */
export function parseJsonPath(path: string): JsonPathStep[] | { error: string } {
  if (!path.startsWith('$')) return { error: `a JSON path starts with $ (${SUBSET})` };
  const steps: JsonPathStep[] = [];
  const step = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let at = 1;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (!m) return { error: `${JSON.stringify(path.slice(at))} at character ${at + 1}: ${SUBSET}` };
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else steps.push({ key: (m[3] ?? m[4]!).replace(/\\(.)/g, '$1') });
    at = step.lastIndex;
  }
  return steps;
}

/** The values `steps` select in `doc`: none, or one. */
export function selectJsonPath(doc: unknown, steps: readonly JsonPathStep[]): unknown[] {
  let cur: unknown = doc;
  for (const s of steps) {
    if ('index' in s) {
      if (!Array.isArray(cur) || s.index >= cur.length) return [];
      cur = cur[s.index];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, s.key)) return [];
      cur = (cur as Record<string, unknown>)[s.key];
    }
  }
  return [cur];
}
