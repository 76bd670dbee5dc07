// An observer of the file (spec.observers) as the client that reads it.
import type { AlertSource } from '../domain/alerts.js';
import type { Clock } from '../domain/context.js';
import type { ObserverSpec } from '../domain/experiment.js';
import { AlertmanagerSource } from './alertmanager.js';
import { PrometheusSource } from './prometheus.js';

/** A read that takes longer than this (or than the interval, if longer) counts as no answer. */
const MIN_TIMEOUT_MS = 2000;

export function createAlertSource(spec: ObserverSpec, clock: Clock): AlertSource {
  const timeout = Math.max(MIN_TIMEOUT_MS, spec.every);
  if ('alertmanager' in spec) return new AlertmanagerSource(spec.alertmanager, timeout, () => clock.now());
  return new PrometheusSource(spec.prometheus, timeout);
}
