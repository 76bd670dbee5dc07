// The three patch flavours client-node can send. Strategic merge is approximated the way it matters
// here: lists of named things (containers, ephemeralContainers, conditions) merge by name/type.
import { badRequest, unprocessable } from './status.js';

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json, strategic = false): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (strategic && Array.isArray(v) && Array.isArray(out[k]) && v.every(isObj)) out[k] = mergeList(out[k] as Obj[], v as Obj[]);
    else out[k] = mergePatch(out[k], v, strategic);
  }
  return out;
}

function mergeList(base: Obj[], patch: Obj[]): Obj[] {
  const keyOf = (o: Obj) => (typeof o.name === 'string' ? `n:${o.name}` : typeof o.type === 'string' ? `t:${o.type}` : undefined);
  if (!patch.every((p) => keyOf(p) !== undefined)) return structuredClone(patch);
  const out = base.map((b) => ({ ...b }));
  for (const p of patch) {
    const i = out.findIndex((b) => keyOf(b) === keyOf(p));
    if (i >= 0) out[i] = mergePatch(out[i], p, true) as Obj;
    else out.push(structuredClone(p));
  }
  return out;
}

function pointer(path: string): string[] {
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch body must be an array of operations');
  const doc = structuredClone(target) as Obj;
  for (const op of ops as Obj[]) {
    const parts = pointer(String(op.path));
    const last = parts.pop()!;
    let parent: Json = doc;
    for (const p of parts) {
      if (Array.isArray(parent)) parent = parent[Number(p)];
      else if (isObj(parent)) {
        if (!(p in parent) && op.op === 'add') parent[p] = {};
        parent = parent[p];
      } else throw badRequest(`doc is missing path: "${op.path}"`);
    }
    if (op.op === 'test') {
      const cur = Array.isArray(parent) ? parent[Number(last)] : isObj(parent) ? parent[last] : undefined;
      if (JSON.stringify(cur) !== JSON.stringify(op.value)) throw unprocessable(`the server rejected our request due to an error in our request: testing value ${op.path} failed`);
      continue;
    }
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === 'replace') parent[i] = structuredClone(op.value);
      else if (op.op === 'remove') parent.splice(i, 1);
      else throw badRequest(`unsupported json patch op ${String(op.op)}`);
    } else if (isObj(parent)) {
      if (op.op === 'add' || op.op === 'replace') {
        if (op.op === 'replace' && !(last in parent)) throw badRequest(`replace operation does not apply: doc is missing key: ${op.path}`);
        parent[last] = structuredClone(op.value);
      } else if (op.op === 'remove') {
        if (!(last in parent)) throw badRequest(`remove operation does not apply: doc is missing key: ${op.path}`);
        delete parent[last];
      } else throw badRequest(`unsupported json patch op ${String(op.op)}`);
    } else throw badRequest(`doc is missing path: "${op.path}"`);
  }
  return doc;
}

export function applyPatch(target: Json, body: Json, contentType: string): Json {
  const ct = contentType.split(';')[0]!.trim();
  if (ct === 'application/json-patch+json') return jsonPatch(target, body);
  if (ct === 'application/merge-patch+json') return mergePatch(target, body, false);
  if (ct === 'application/strategic-merge-patch+json') return mergePatch(target, body, true);
  throw Object.assign(badRequest(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`), {});
}
