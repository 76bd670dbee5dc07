// What observers (Alertmanager, Prometheus) report and how the journal keeps it: every read of an
// observer, with its time and the alerts firing then, so detection is judged afterwards from the
// record alone. The port the observer clients implement is declared here so the engine and the
// clients both depend downwards.
import type { ObjectiveSpec, ObserverKind } from './experiment.js';

export type DetectionSpec = Extract<ObjectiveSpec, { detection: unknown }>['detection'];
/** A detection by the team's alerting: the schema requires an observer unless `by: human`. */
export type AlertDetectionSpec = DetectionSpec & { observer: string };

/** The detection as an alert read from an observer, or undefined for a human detection (a Detected mark). */
export function alertDetection(o: DetectionSpec): AlertDetectionSpec | undefined {
  return o.by === 'human' || o.observer === undefined ? undefined : (o as AlertDetectionSpec);
}

/** One alert firing at an observer. */
export interface ObservedAlert {
  labels: Record<string, string>;
  /** The alert's own start, epoch ms: Alertmanager's `startsAt`, Prometheus's `activeAt`; null when absent. */
  since: number | null;
}

/** One read of an observer. A read that failed is recorded (ok false), never thrown. */
export interface AlertPoll {
  /** When the request was sent, epoch ms. */
  t: number;
  /** How long it took to answer, ms: the alerts were seen at t + ms. */
  ms: number;
  ok: boolean;
  error?: string;
  /** Alerts firing at that moment: an index into ObserverLog.alerts and that alert's own start. */
  firing: { alert: number; since: number | null }[];
}

/** Everything one observer said during a run. */
export interface ObserverLog {
  name: string;
  kind: ObserverKind;
  url: string;
  /** Every distinct label set seen firing, referred to by index from the polls. */
  alerts: Record<string, string>[];
  polls: AlertPoll[];
}

/** The port an observer client implements (src/observers/). */
export interface AlertSource {
  readonly kind: ObserverKind;
  readonly url: string;
  /** The alerts firing now. Rejects when the observer does not answer or answers nonsense. */
  firing(signal: AbortSignal): Promise<ObservedAlert[]>;
  /** The names of the alerting rules loaded, when the observer can tell (Prometheus). */
  ruleNames?(signal: AbortSignal): Promise<string[]>;
}

/** The labels an alert must carry for a detection objective: `alert` is shorthand for its alertname. */
export function detectionMatchers(o: DetectionSpec): Record<string, string> {
  return o.alert !== undefined ? { alertname: o.alert } : (o.matchers ?? {});
}

export function labelsMatch(labels: Record<string, string>, matchers: Record<string, string>): boolean {
  return Object.entries(matchers).every(([k, v]) => labels[k] === v);
}

/** "InstanceDown", or "{alertname=InstanceDown, job=kv}" for matchers. */
export function detectionName(o: DetectionSpec): string {
  if (o.alert !== undefined) return o.alert;
  return `{${Object.entries(o.matchers ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/** An alert's readable name: its alertname, with its other identifying labels when there are any. */
export function alertName(labels: Record<string, string>): string {
  const { alertname, ...rest } = labels;
  const extra = Object.entries(rest).filter(([k]) => k === 'job' || k === 'instance' || k === 'severity');
  return extra.length ? `${alertname ?? '?'}{${extra.map(([k, v]) => `${k}=${v}`).join(', ')}}` : (alertname ?? '?');
}

/** Appends one read to an observer's log, interning label sets. */
export function recordPoll(log: ObserverLog, poll: Omit<AlertPoll, 'firing'>, alerts: readonly ObservedAlert[]): AlertPoll {
  const firing = alerts.map((a) => {
    const key = labelKey(a.labels);
    let i = log.alerts.findIndex((l) => labelKey(l) === key);
    if (i < 0) i = log.alerts.push(a.labels) - 1;
    return { alert: i, since: a.since };
  });
  const entry = { ...poll, firing };
  log.polls.push(entry);
  return entry;
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
