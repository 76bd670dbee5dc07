// The HTTP face of the simulated cluster: URL routing in the real API layout, verbs derived the
// way the API server's RBAC authorizer derives them, list/watch/subresource semantics, and a
// record of every request so tests can assert on what the client asked for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptExec, rejectUpgrade } from './exec.js';
import { RESOURCES, apiVersionOf, resourceFor, type ResourceType } from './resources.js';
import type { SimCluster } from './cluster.js';
import type { Obj } from './store.js';
import { applyPatch } from './patch.js';
import { badRequest, conflict, forbidden, forbiddenBecause, notFound, gone, invalid, methodNotAllowed, StatusError } from './status.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  contentType?: string;
  /** The response status code. */
  status: number;
  /** The RBAC verb the request maps to, e.g. "delete", "list", "watch", "patch". */
  verb?: string;
  /** API group, "" for core. */
  group?: string;
  /** plural, or plural/subresource. */
  resource?: string;
  namespace?: string;
  name?: string;
}

interface Route {
  plural: string;
  namespace?: string;
  name?: string;
  sub?: string;
}

/** Splits what follows /api/v1 or /apis/{group}/{version}. */
function parseRoute(segments: string[]): Route | undefined {
  let namespace: string | undefined;
  let rest = segments;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 3) return undefined;
  return { plural: rest[0]!, ...(namespace !== undefined ? { namespace } : {}), ...(rest[1] !== undefined ? { name: rest[1] } : {}), ...(rest[2] !== undefined ? { sub: rest[2] } : {}) };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

function labelSelectorString(matchLabels: Record<string, string> | undefined): string {
  return Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export class SimServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly cluster: SimCluster) {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.on('upgrade', (req, socket) => this.upgrade(req, socket));
  }

  /** pods/exec: RBAC verb "create" on "pods/exec", as the real authorizer sees it. */
  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const command = url.searchParams.getAll('command');
    const container = url.searchParams.get('container') ?? undefined;
    const rec: RecordedRequest = { method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: { command }, status: 0, verb: 'create', group: '', resource: 'pods/exec' };
    this.requests.push(rec);
    if (!m) {
      rec.status = 404;
      return rejectUpgrade(socket, 404, this.notFoundPath().body);
    }
    const [namespace, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    Object.assign(rec, { namespace, name });
    const pods = RESOURCES.find((x) => x.plural === 'pods')!;
    const rule = this.cluster.forbiddenBy('create', 'pods', 'exec', namespace, name);
    const pod = this.cluster.store.get(pods, namespace, name);
    const fail = rule ? (rule.message ? forbiddenBecause(rule.message, pods, name) : forbidden(this.cluster.options.user, 'create', pods, 'exec', namespace, name)) : !pod ? notFound(pods, name) : undefined;
    if (fail) {
      rec.status = fail.body.code;
      return rejectUpgrade(socket, fail.body.code, fail.body);
    }
    rec.status = 101;
    acceptExec(req, socket, { stdout: url.searchParams.get('stdout') === 'true', stderr: url.searchParams.get('stderr') === 'true' }, async () => this.cluster.execHandler({ namespace, pod: name, container, command }));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.end();
    this.streams.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Ends every open watch stream, as an API server restart or a load balancer timeout would. */
  dropWatches(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];
    let body: unknown;
    try {
      body = raw && contentType?.includes('json') ? JSON.parse(raw) : raw || undefined;
    } catch {
      body = raw;
    }
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, body, ...(contentType ? { contentType } : {}), status: 0 };
    this.requests.push(rec);
    const proxy = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/proxy(\/.*)?$/.exec(url.pathname);
    if (proxy) return void (await this.proxy(rec, res, decodeURIComponent(proxy[1]!), decodeURIComponent(proxy[2]!), proxy[3] ?? '/', url.search));
    try {
      const out = this.dispatch(rec, req, res, url);
      if (out === 'streaming') return;
      rec.status = out.code;
      this.json(res, out.code, out.body);
    } catch (e) {
      const err = e instanceof StatusError ? e : e instanceof SelectorError ? badRequest(e.message) : undefined;
      if (!err) {
        rec.status = 500;
        this.json(res, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'InternalError', code: 500 });
        return;
      }
      rec.status = err.body.code;
      this.json(res, err.body.code, err.body);
    }
  }

  /** pods/proxy: RBAC on "pods/proxy" with the verb of the method; the answer comes from `state.proxyHandler`. */
  private async proxy(rec: RecordedRequest, res: ServerResponse, namespace: string, target: string, path: string, search: string): Promise<void> {
    const m = /^(?:(https?):)?([^:]+)(?::(\d+))?$/.exec(target);
    const name = m?.[2] ?? target;
    const verb = ({ GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[rec.method] ?? 'get';
    Object.assign(rec, { verb, group: '', resource: 'pods/proxy', namespace, name });
    const pods = RESOURCES.find((x) => x.plural === 'pods')!;
    const rule = this.cluster.forbiddenBy(verb, 'pods', 'proxy', namespace, name);
    const pod = this.cluster.store.get(pods, namespace, name);
    const fail = rule ? (rule.message ? forbiddenBecause(rule.message, pods, name) : forbidden(this.cluster.options.user, verb, pods, 'proxy', namespace, name)) : !pod ? notFound(pods, name) : undefined;
    if (fail) {
      rec.status = fail.body.code;
      return this.json(res, fail.body.code, fail.body);
    }
    const port = Number(m?.[3] ?? 80);
    const out = await this.cluster.proxyHandler({ namespace, pod: name, port, scheme: m?.[1] ?? 'http', method: rec.method, path, query: search, body: typeof rec.body === 'string' ? rec.body : rec.body === undefined ? undefined : JSON.stringify(rec.body) });
    rec.status = out.status;
    res.writeHead(out.status, { 'content-type': out.contentType ?? 'text/plain; charset=utf-8' });
    res.end(out.body ?? '');
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private dispatch(rec: RecordedRequest, req: IncomingMessage, res: ServerResponse, url: URL): { code: number; body: unknown } | 'streaming' {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'version') return { code: 200, body: { major: '1', minor: '31', gitVersion: 'v1.31.0-faultline-sim', platform: 'linux/amd64' } };
    if (parts[0] === 'api' && parts.length === 1) return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') [group, version, rest] = ['', 'v1', parts.slice(2)];
    else if (parts[0] === 'apis' && parts.length >= 3) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
    else throw this.notFoundPath();
    const route = parseRoute(rest);
    const r = route && resourceFor(group, version, route.plural);
    if (!route || !r) throw this.notFoundPath();
    if (!r.namespaced && route.namespace) throw this.notFoundPath();
    const { namespace, name, sub } = route;
    const method = rec.method;
    const watching = rec.query.watch === 'true' || rec.query.watch === '1';
    const verb = this.verbOf(method, name, watching);
    Object.assign(rec, { verb, group: r.group, resource: sub ? `${r.plural}/${sub}` : r.plural, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) });
    const rule = this.cluster.forbiddenBy(verb, r.plural, sub, namespace, name, r.group);
    if (rule?.message) throw forbiddenBecause(rule.message, r, name);
    if (rule) throw forbidden(this.cluster.options.user, verb, r, sub, namespace, name);

    if (sub) return this.subresource(r, namespace, name!, sub, rec, req);
    const store = this.cluster.store;
    switch (verb) {
      case 'list':
        return { code: 200, body: this.listBody(r, namespace, rec.query) };
      case 'watch':
        this.watch(r, namespace, name, rec, res);
        return 'streaming';
      case 'get':
        return { code: 200, body: store.mustGet(r, namespace, name!) };
      case 'create': {
        const b = rec.body as Obj;
        if (!b || typeof b !== 'object') throw badRequest('the body of the request was in an unknown format');
        if (b.metadata?.namespace && namespace && b.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        if (b.kind && b.kind !== r.kind) throw badRequest(`${b.kind} in version "${version}" cannot be handled as a ${r.kind}`);
        return { code: 201, body: store.create(r, namespace, b) };
      }
      case 'update': {
        const b = rec.body as Obj;
        if (b?.metadata?.name !== name) throw badRequest(`the name of the object (${b?.metadata?.name}) does not match the name on the URL (${name})`);
        if (r.plural === 'pods') return { code: 200, body: this.updatePod(namespace!, name!, b) };
        return { code: 200, body: store.replace(r, namespace, name!, b, b.metadata?.resourceVersion) };
      }
      case 'patch': {
        const cur = store.mustGet(r, namespace, name!);
        const next = applyPatch(cur, rec.body, rec.contentType ?? '') as Obj;
        if (r.plural === 'pods') return { code: 200, body: this.updatePod(namespace!, name!, next) };
        return { code: 200, body: store.replace(r, namespace, name!, next) };
      }
      case 'delete': {
        if (r.plural === 'pods') {
          const b = (rec.body ?? {}) as Obj;
          const q = rec.query.gracePeriodSeconds;
          const grace = q !== undefined ? Number(q) : typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : undefined;
          return { code: 200, body: this.cluster.deletePod(namespace!, name!, grace, b.preconditions?.uid) };
        }
        const gone = store.remove(r, namespace, name!);
        return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: r.group || undefined, kind: r.plural, uid: gone.metadata.uid } } };
      }
      case 'deletecollection': {
        const items = this.select(r, namespace, rec.query);
        const removed = items.map((o) => (r.plural === 'pods' ? this.cluster.deletePod(o.metadata.namespace, o.metadata.name) : store.remove(r, o.metadata.namespace, o.metadata.name)));
        return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: store.resourceVersion }, items: removed } };
      }
      default:
        throw methodNotAllowed();
    }
  }

  private verbOf(method: string, name: string | undefined, watching: boolean): string {
    if (method === 'GET') return watching ? 'watch' : name ? 'get' : 'list';
    if (method === 'POST') return 'create';
    if (method === 'PUT') return 'update';
    if (method === 'PATCH') return 'patch';
    if (method === 'DELETE') return name ? 'delete' : 'deletecollection';
    return method.toLowerCase();
  }

  private notFoundPath(): StatusError {
    return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
  }

  /** PUT/PATCH on a pod: only labels, annotations and a few spec fields may change, as in a real cluster. */
  private updatePod(namespace: string, name: string, next: Obj): Obj {
    const r = RESOURCES.find((x) => x.plural === 'pods')!;
    const cur = this.cluster.store.mustGet(r, namespace, name);
    if (JSON.stringify(next.spec?.containers?.map((c: Obj) => c.name)) !== JSON.stringify(cur.spec.containers.map((c: Obj) => c.name)) || JSON.stringify(next.spec?.ephemeralContainers ?? []) !== JSON.stringify(cur.spec.ephemeralContainers ?? [])) {
      throw invalid(r, name, 'spec', 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    }
    const images = Object.fromEntries((next.spec.containers as Obj[]).map((c) => [c.name, c.image]));
    return this.cluster.updatePod(namespace, name, { labels: next.metadata?.labels, annotations: next.metadata?.annotations, images }, next.metadata?.resourceVersion);
  }

  private select(r: ResourceType, namespace: string | undefined, query: Record<string, string>): Obj[] {
    const labels = parseLabelSelector(query.labelSelector);
    const fields = parseFieldSelector(query.fieldSelector, r.fields);
    return this.cluster.store
      .list(r, namespace)
      .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o))
      .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  }

  private listBody(r: ResourceType, namespace: string | undefined, query: Record<string, string>): Obj {
    let items = this.select(r, namespace, query);
    const rv = this.cluster.store.resourceVersion;
    const offset = query.continue ? Number(Buffer.from(query.continue, 'base64url').toString('utf8')) : 0;
    if (query.continue && !Number.isInteger(offset)) throw badRequest('continue key is not valid');
    const limit = query.limit ? Number(query.limit) : 0;
    let cont: string | undefined;
    if (limit > 0) {
      const page = items.slice(offset, offset + limit);
      if (offset + limit < items.length) cont = Buffer.from(String(offset + limit)).toString('base64url');
      items = page;
    }
    return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: rv, ...(cont ? { continue: cont, remainingItemCount: 0 } : {}) }, items };
  }

  private watch(r: ResourceType, namespace: string | undefined, name: string | undefined, rec: RecordedRequest, res: ServerResponse): void {
    const labels = parseLabelSelector(rec.query.labelSelector);
    const fields = parseFieldSelector(rec.query.fieldSelector, r.fields);
    const accept = (o: Obj) => (!name || o.metadata.name === name) && matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o);
    const rvText = rec.query.resourceVersion;
    const store = this.cluster.store;
    const replay = rvText && rvText !== '0' ? store.since(r.plural, Number(rvText)) : undefined;
    if (rvText && rvText !== '0' && !replay) throw gone(`too old resource version: ${rvText} (${store.resourceVersion})`);
    rec.status = 200;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    this.streams.add(res);
    const send = (type: string, object: Obj) => {
      if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    if (replay) for (const e of replay) (namespace === undefined || e.object.metadata.namespace === namespace) && accept(e.object) && send(e.type, e.object);
    else for (const o of store.list(r, namespace).filter(accept)) send('ADDED', o);
    const watcher = { plural: r.plural, ...(namespace ? { namespace } : {}), accept, send };
    store.watchers.add(watcher);
    const stop = () => {
      store.watchers.delete(watcher);
      this.streams.delete(res);
      if (!res.writableEnded) res.end();
    };
    res.on('close', stop);
    const timeout = Number(rec.query.timeoutSeconds);
    if (timeout > 0) this.cluster.after(timeout * 1000, stop);
  }

  private subresource(r: ResourceType, namespace: string | undefined, name: string, sub: string, rec: RecordedRequest, req: IncomingMessage): { code: number; body: unknown } {
    const store = this.cluster.store;
    if (r.plural === 'pods' && sub === 'ephemeralcontainers') {
      const pod = store.mustGet(r, namespace, name);
      if (rec.method === 'GET') return { code: 200, body: pod };
      let next: Obj;
      if (rec.method === 'PATCH') next = applyPatch(pod, rec.body, rec.contentType ?? '') as Obj;
      else if (rec.method === 'PUT') next = rec.body as Obj;
      else throw methodNotAllowed();
      return { code: 200, body: this.cluster.setEphemeralContainers(namespace!, name, (next.spec?.ephemeralContainers ?? []) as Obj[]) };
    }
    if (r.plural === 'pods' && (sub === 'exec' || sub === 'attach')) {
      void req;
      throw badRequest('Upgrade request required');
    }
    if ((r.plural === 'deployments' || r.plural === 'statefulsets') && sub === 'scale') {
      const w = store.mustGet(r, namespace, name);
      const scale = this.scaleOf(w);
      if (rec.method === 'GET') return { code: 200, body: scale };
      let next: Obj;
      if (rec.method === 'PATCH') next = applyPatch(scale, rec.body, rec.contentType ?? '') as Obj;
      else if (rec.method === 'PUT') {
        next = rec.body as Obj;
        const rv = next?.metadata?.resourceVersion;
        if (rv && rv !== w.metadata.resourceVersion) throw conflict(r, name);
      } else throw methodNotAllowed();
      const replicas = next?.spec?.replicas;
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw invalid({ group: 'autoscaling', plural: 'scale', kind: 'Scale' }, name, 'spec.replicas', `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
      }
      const updated = store.mutate(r, namespace, name, (o) => {
        o.spec.replicas = replicas;
      })!;
      return { code: 200, body: this.scaleOf(updated) };
    }
    throw this.notFoundPath();
  }

  private scaleOf(w: Obj): Obj {
    const m = w.metadata;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
      spec: { replicas: w.spec.replicas },
      status: { replicas: w.status?.replicas ?? 0, selector: labelSelectorString(w.spec.selector?.matchLabels) },
    };
  }
}
