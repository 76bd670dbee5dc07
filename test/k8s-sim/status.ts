// metav1.Status failures exactly as the API server writes them, so the driver's error handling is
// exercised against the real wire shape (message wording included).

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
  code: number;
}

export class StatusError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

export interface ResourceRef {
  group: string;
  plural: string;
  kind: string;
}

/** "pods" for the core group, "networkpolicies.networking.k8s.io" otherwise, as in real messages. */
export function qualified(r: ResourceRef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function status(code: number, reason: string, message: string, details?: StatusBody['details']): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

export function notFound(r: ResourceRef, name: string): StatusError {
  return status(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural });
}

export function alreadyExists(r: ResourceRef, name: string): StatusError {
  return status(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group || undefined, kind: r.plural });
}

export function conflict(r: ResourceRef, name: string): StatusError {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
    name,
    group: r.group || undefined,
    kind: r.plural,
  });
}

export function preconditionFailed(r: ResourceRef, name: string, expectedUid: string, actualUid: string): StatusError {
  return status(409, 'Conflict', `Precondition failed: UID in precondition: ${expectedUid}, UID in object meta: ${actualUid}`, { name, group: r.group || undefined, kind: r.plural });
}

export function invalid(r: ResourceRef, name: string, field: string, detail: string): StatusError {
  return status(422, 'Invalid', `${r.kind} "${name}" is invalid: ${field}: ${detail}`, {
    name,
    group: r.group || undefined,
    kind: r.kind,
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }],
  });
}

export function badRequest(message: string): StatusError {
  return status(400, 'BadRequest', message);
}

/** What the API server answers to a JSON patch it cannot apply (a failed `test` operation). */
export function unprocessable(message: string): StatusError {
  return status(422, 'UnprocessableEntity', message);
}

export function methodNotAllowed(): StatusError {
  return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function gone(message: string): StatusError {
  return status(410, 'Expired', message);
}

export function forbidden(user: string, verb: string, r: ResourceRef, subresource: string | undefined, namespace: string | undefined, name: string | undefined): StatusError {
  const resource = subresource ? `${r.plural}/${subresource}` : r.plural;
  const subject = name ? `${qualified(r)} "${name}"` : qualified(r);
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return status(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${r.group}" ${scope}`, {
    ...(name ? { name } : {}),
    group: r.group || undefined,
    kind: r.plural,
  });
}

/** A 403 from admission rather than RBAC: the message is the plugin's own. */
export function forbiddenBecause(message: string, r: ResourceRef, name: string | undefined): StatusError {
  return status(403, 'Forbidden', message, { ...(name ? { name } : {}), group: r.group || undefined, kind: r.plural });
}
