// Selector fields of an experiment -> the labelSelector / fieldSelector strings of the API.
import type { V1LabelSelector } from '@kubernetes/client-node';
import { InvalidInputError } from '../../domain/errors.js';
import type { SelectorSpec } from '../../domain/experiment.js';

type Expression = NonNullable<SelectorSpec['expressions']>[number];

export function expressionText(e: Expression, where: string): string {
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw new InvalidInputError(`${where}: the ${e.operator} expression on "${e.key}" needs at least one value`);
      return `${e.key} ${e.operator.toLowerCase()} (${values.join(',')})`;
    case 'Exists':
      return e.key;
    case 'DoesNotExist':
      return `!${e.key}`;
  }
}

export function labelSelectorText(labels: Record<string, string> | undefined, expressions: Expression[] | undefined, where: string): string {
  return [...Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`), ...(expressions ?? []).map((e) => expressionText(e, where))].join(',');
}

/** A workload's spec.selector as selector text. */
export function workloadSelectorText(sel: V1LabelSelector | undefined): string {
  return labelSelectorText(
    sel?.matchLabels,
    (sel?.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator as Expression['operator'], values: e.values })),
    'workload selector',
  );
}

export function fieldSelectorText(fields: Record<string, string> | undefined, node: string | undefined, names: string[] | undefined): string {
  const parts = Object.entries(fields ?? {}).map(([k, v]) => `${k}=${v}`);
  if (node) parts.push(`spec.nodeName=${node}`);
  // One name goes to the server; several are filtered here (field selectors cannot OR).
  if (names?.length === 1) parts.push(`metadata.name=${names[0]}`);
  return parts.join(',');
}
