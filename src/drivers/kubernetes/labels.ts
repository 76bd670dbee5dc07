// The marks faultline leaves on what it creates, so `faultline rollback` or an operator with
// kubectl can find every leftover of a run (`kubectl get netpol -A -l app.kubernetes.io/managed-by=faultline`).

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'faultline';
export const RUN_ID = 'faultline.io/run-id';
/** When a leftover stops mattering: the helper or policy is inert or may be deleted after this instant. */
export const EXPIRES_AT = 'faultline.io/expires-at';
/** On a pod under pod-failure: its original images (JSON), so the way back lives where the change is. */
export const POD_FAILURE = 'faultline.io/pod-failure';
/** Pods of faultline itself (the in-cluster CronJob) are never candidates. */
export const SELF_LABEL = 'app.kubernetes.io/name';
export const SELF_VALUE = 'faultline';
/** Prefix of every ephemeral container faultline adds. */
export const HELPER_PREFIX = 'faultline-';

export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

export function ownedLabels(runId: string): Record<string, string> {
  return { [MANAGED_BY]: MANAGED_BY_VALUE, [RUN_ID]: labelValue(runId) };
}

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function labelValue(text: string): string {
  const v = text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return v || 'x';
}

/** A DNS-1123 label (names of policies and containers): lower case, at most `max` characters. */
export function dnsLabel(text: string, max = 63): string {
  const v = text.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, max).replace(/^-+|-+$/g, '');
  return v || 'x';
}
