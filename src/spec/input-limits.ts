// Limits on a file's size and nesting, checked before the YAML is composed: the composer, toJS and
// the schema all recurse, so a file nested thousands deep would otherwise end in a stack overflow
// reported at a meaningless place. No real faultline file comes near either limit.
import { Parser, type CST } from 'yaml';

/** Experiment and schedule files are a few kilobytes; a megabyte is already absurd. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** The deepest a real file goes is under ten levels (spec.targets.x.selector.compose.project). */
export const MAX_DEPTH = 64;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/**
 * The offset of the first collection nested deeper than MAX_DEPTH, or undefined. Walks yaml's
 * concrete syntax tree, which its parser builds without recursion, with an explicit stack.
 */
export function tooDeepAt(text: string): number | undefined {
  const stack: [CST.Token, number][] = [];
  for (const token of new Parser().parse(text)) if (token.type === 'document' && token.value) stack.push([token.value, 0]);
  let first: number | undefined;
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_DEPTH) {
      // The walk is depth-first, not in file order: keep the earliest place the limit is crossed.
      const at = token.type === 'flow-collection' ? token.start.offset : token.offset;
      first = first === undefined ? at : Math.min(first, at);
      continue;
    }
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return first;
}

export const TOO_DEEP = `nested more than ${MAX_DEPTH} levels deep here: a faultline file is never nested this deep (an unclosed or repeated "[" or "{"?)`;
