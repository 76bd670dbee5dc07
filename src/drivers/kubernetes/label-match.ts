// Evaluating a metav1.LabelSelector locally (to see which existing NetworkPolicies select a pod).
import type { V1LabelSelector } from '@kubernetes/client-node';

export function selects(sel: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  const exact = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    exact &&
    (sel.matchExpressions ?? []).every((e) => {
      const has = e.key in labels;
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(labels[e.key]!);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(labels[e.key]!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    })
  );
}
