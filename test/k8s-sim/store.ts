// The simulated etcd: objects per resource type, one global resourceVersion counter, a bounded
// event history for watches that resume from a resourceVersion, and live watchers. Stored objects
// are never mutated in place (every change stores a fresh copy), so history entries can share them.
import { randomUUID } from 'node:crypto';
import type { ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import { alreadyExists, conflict, notFound, invalid } from './status.js';

export type Obj = Record<string, any>;
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: EventType;
  plural: string;
  object: Obj;
}

export interface Watcher {
  plural: string;
  namespace?: string;
  accept(object: Obj): boolean;
  send(type: EventType, object: Obj): void;
}

const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export class Store {
  private rv = 1000;
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly history: StoredEvent[] = [];
  /** The resourceVersion of the newest event no longer in the history. */
  private droppedUpTo = 0;
  readonly watchers = new Set<Watcher>();
  /** Called after every committed change; the controllers react here. */
  onChange: (type: EventType, plural: string, object: Obj) => void = () => {};

  constructor(private readonly historyLimit: number) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  private table(plural: string): Map<string, Obj> {
    let t = this.objects.get(plural);
    if (!t) this.objects.set(plural, (t = new Map()));
    return t;
  }

  get(r: ResourceType, ns: string | undefined, name: string): Obj | undefined {
    return this.table(r.plural).get(key(ns, name));
  }

  mustGet(r: ResourceType, ns: string | undefined, name: string): Obj {
    const o = this.get(r, ns, name);
    if (!o) throw notFound(r, name);
    return o;
  }

  list(r: ResourceType, ns?: string): Obj[] {
    const all = [...this.table(r.plural).values()];
    return ns === undefined ? all : all.filter((o) => o.metadata.namespace === ns);
  }

  count(plural: string): number {
    return this.table(plural).size;
  }

  create(r: ResourceType, ns: string | undefined, body: Obj): Obj {
    const meta = { ...(body.metadata ?? {}) };
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
    if (!meta.name) throw invalid(r, '', 'metadata.name', 'Required value: name or generateName is required');
    const t = this.table(r.plural);
    const k = key(r.namespaced ? ns : undefined, meta.name);
    if (t.has(k)) throw alreadyExists(r, meta.name);
    const obj: Obj = {
      ...body,
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      metadata: {
        ...meta,
        ...(r.namespaced ? { namespace: ns } : {}),
        uid: randomUUID(),
        resourceVersion: String(++this.rv),
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        generation: 1,
      },
    };
    t.set(k, obj);
    this.emit('ADDED', r.plural, obj);
    return obj;
  }

  /** Replace an object; `expectRv` enforces optimistic concurrency as a PUT does. */
  replace(r: ResourceType, ns: string | undefined, name: string, next: Obj, expectRv?: string): Obj {
    const cur = this.mustGet(r, ns, name);
    if (expectRv !== undefined && expectRv !== '' && expectRv !== cur.metadata.resourceVersion) throw conflict(r, name);
    const specChanged = JSON.stringify(cur.spec) !== JSON.stringify(next.spec);
    const obj: Obj = {
      ...next,
      apiVersion: cur.apiVersion,
      kind: cur.kind,
      metadata: {
        ...next.metadata,
        name: cur.metadata.name,
        ...(r.namespaced ? { namespace: cur.metadata.namespace } : {}),
        uid: cur.metadata.uid,
        creationTimestamp: cur.metadata.creationTimestamp,
        resourceVersion: String(++this.rv),
        generation: (cur.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      },
    };
    this.table(r.plural).set(key(ns, name), obj);
    this.emit('MODIFIED', r.plural, obj);
    return obj;
  }

  /** Apply a change to a copy of the object and store it; a no-op change stores nothing. */
  mutate(r: ResourceType, ns: string | undefined, name: string, fn: (copy: Obj) => void): Obj | undefined {
    const cur = this.get(r, ns, name);
    if (!cur) return undefined;
    const copy = structuredClone(cur);
    fn(copy);
    if (JSON.stringify(copy) === JSON.stringify(cur)) return cur;
    return this.replace(r, ns, name, copy);
  }

  remove(r: ResourceType, ns: string | undefined, name: string): Obj {
    const cur = this.mustGet(r, ns, name);
    this.table(r.plural).delete(key(ns, name));
    const gone = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++this.rv) } };
    this.emit('DELETED', r.plural, gone);
    return gone;
  }

  /** Events after `rv`, or undefined when the history no longer reaches back that far. */
  since(plural: string, rv: number): StoredEvent[] | undefined {
    if (rv < this.droppedUpTo) return undefined;
    return this.history.filter((e) => e.rv > rv && e.plural === plural);
  }

  private emit(type: EventType, plural: string, object: Obj): void {
    this.history.push({ rv: Number(object.metadata.resourceVersion), type, plural, object });
    // Trimmed in batches so a long run does not pay an O(n) shift per event.
    if (this.history.length > 2 * this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.droppedUpTo = dropped[dropped.length - 1]!.rv;
    }
    for (const w of this.watchers) {
      if (w.plural !== plural) continue;
      if (w.namespace !== undefined && object.metadata.namespace !== w.namespace) continue;
      if (w.accept(object)) w.send(type, object);
    }
    this.onChange(type, plural, object);
  }
}
