// Turning the API server's answers into messages a user can act on: a 403 names the verb, the
// resource, the namespace and the RBAC rule that would allow it; an unreachable server names the
// context and the address. 404s are outcomes (a vanished pod), not failures, so callers test for them.
import { EnvironmentError } from '../../domain/errors.js';

/** What faultline was trying to do, for the message. */
export interface ApiOp {
  verb: string;
  /** Plural resource, e.g. "pods"; a subresource is written "pods/ephemeralcontainers". */
  resource: string;
  /** API group: "" for core, "apps", "networking.k8s.io". */
  group: string;
  namespace?: string;
  name?: string;
}

export interface ClusterIdentity {
  context: string;
  server: string;
}

interface StatusLike {
  message?: string;
  reason?: string;
  code?: number;
}

export function statusCodeOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The metav1.Status the server sent, when there is one. */
export function statusOf(err: unknown): StatusLike | undefined {
  const body = (err as { body?: unknown } | null)?.body;
  if (typeof body === 'object' && body !== null) return body as StatusLike;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as StatusLike;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

function networkCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; errno?: unknown; cause?: unknown; type?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return (err as { type?: unknown })?.type === 'system' ? 'network error' : undefined;
}

/** The Role/ClusterRole rule that grants `op`, written as YAML flow so it can be pasted. */
export function rbacRuleFor(op: ApiOp): string {
  return `{apiGroups: ["${op.group}"], resources: ["${op.resource}"], verbs: ["${op.verb}"]}`;
}

function describeOp(op: ApiOp): string {
  const what = op.name ? `${op.resource} "${op.name}"` : op.resource;
  return `${op.verb} ${what}${op.namespace ? ` in namespace "${op.namespace}"` : ' at cluster scope'}`;
}

/**
 * An error for a failed API call. Permission and connectivity problems become EnvironmentErrors
 * (the run cannot work as configured); anything else keeps the server's own message.
 */
export function explainApiError(err: unknown, op: ApiOp, cluster: ClusterIdentity): Error {
  const net = networkCode(err);
  if (net) {
    return new EnvironmentError(`cannot reach the Kubernetes API server ${cluster.server} (context "${cluster.context}"): ${net}. Is the cluster running and the kubeconfig current?`);
  }
  const code = statusCodeOf(err);
  const status = statusOf(err);
  if (code === 401) {
    return new EnvironmentError(`the Kubernetes API server ${cluster.server} (context "${cluster.context}") rejected faultline's credentials (401 Unauthorized); refresh the kubeconfig's token or certificate`);
  }
  if (code === 403 && status?.message && !/ cannot [\w-]+ resource /.test(status.message)) {
    // Admission (Pod Security, a policy engine) rather than RBAC: no Role rule would help.
    const psa = /violates PodSecurity/.test(status.message);
    return withStatus(403, new EnvironmentError(
      `Kubernetes refused to ${describeOp(op)} (403, context "${cluster.context}"): ${status.message}` +
        (psa ? '. The namespace\'s Pod Security level forbids it; faultline\'s network helpers need NET_ADMIN, which the "baseline" and "restricted" levels do not allow.' : ''),
    ));
  }
  if (code === 403) {
    return withStatus(403, rbacError(op, cluster, status));
  }
  const msg = status?.message ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
  const e = new Error(`could not ${describeOp(op)}: ${msg}${code ? ` (HTTP ${code}${status?.reason ? ` ${status.reason}` : ''})` : ''}`);
  return code ? withStatus(code, e) : e;
}

/** Keeps the HTTP status on the explained error, so callers can still tell a 403 from a 404. */
function withStatus<E extends Error>(code: number, e: E): E & { statusCode: number } {
  return Object.assign(e, { statusCode: code });
}

function rbacError(op: ApiOp, cluster: ClusterIdentity, status: StatusLike | undefined): EnvironmentError {
  const user = /User "([^"]+)"/.exec(status?.message ?? '')?.[1];
  const scope = op.namespace ? `a Role in namespace "${op.namespace}"` : 'a ClusterRole';
  return new EnvironmentError(
    `Kubernetes refused to ${describeOp(op)}${user ? ` for ${user}` : ''} (403 Forbidden, context "${cluster.context}"). ` +
      `Grant it with this rule in ${scope} bound to that identity: ${rbacRuleFor(op)}`,
  );
}
