import { describe, expect, it } from 'vitest';
import type { DetectionSpec, ObservedAlert, ObserverLog } from '../../src/domain/alerts.js';
import { recordPoll } from '../../src/domain/alerts.js';
import { evaluateDetection } from '../../src/slo/detection.js';
import type { FaultRecord } from '../../src/slo/types.js';

const down: ObservedAlert = { labels: { alertname: 'InstanceDown', job: 'kv' }, since: 1_500 };
const other: ObservedAlert = { labels: { alertname: 'HighLatency', job: 'kv' }, since: 1_200 };

/** Reads every second from t=0 to `until`; `at(t)` says what was firing (or 'fail'). */
function log(until: number, at: (t: number) => ObservedAlert[] | 'fail'): ObserverLog {
  const l: ObserverLog = { name: 'alerts', kind: 'alertmanager', url: 'http://127.0.0.1:9093', alerts: [], polls: [] };
  for (let t = 0; t <= until; t += 1000) {
    const what = at(t);
    if (what === 'fail') recordPoll(l, { t, ms: 10, ok: false, error: 'connection refused' }, []);
    else recordPoll(l, { t, ms: 10, ok: true }, what);
  }
  return l;
}
const kill: FaultRecord[] = [{ name: 'kill-1', kind: 'kill', injectedAt: 1_000, revertedAt: null, instant: true }];
const pause: FaultRecord[] = [{ name: 'pause-1', kind: 'pause', injectedAt: 1_000, revertedAt: 4_000, instant: false }];
const spec = (o: Partial<DetectionSpec> = {}): DetectionSpec => ({ observer: 'alerts', alert: 'InstanceDown', within: 5_000, ...o });
const window = { start: 1_000, end: 20_000 };

describe('detection verdicts from recorded observer reads', () => {
  it('measures TTD from the first injection to the read that saw the alert, and keeps the alert\'s own start', () => {
    const v = evaluateDetection(spec(), [log(20_000, (t) => (t >= 3_000 ? [down] : []))], kill, window);
    expect(v).toMatchObject({ kind: 'detection', observer: 'alerts', status: 'met', measured: 2_010, bound: 5_000 });
    expect(v.figures).toMatchObject({ ttdMs: 2_010, alertStartMs: 500 });
    expect(v.detail).toBe("detected in 2.01s (the alert's own start: 500ms after the injection) (target 5s)");
  });

  it('matches by labels when matchers are given', () => {
    const v = evaluateDetection(spec({ alert: undefined, matchers: { job: 'kv', alertname: 'HighLatency' } }), [log(20_000, (t) => (t >= 2_000 ? [other] : []))], kill, window);
    expect(v).toMatchObject({ status: 'met', measured: 1_010 });
  });

  it('says "not detected within" and lists the alerts that did fire', () => {
    const v = evaluateDetection(spec(), [log(20_000, (t) => (t >= 2_000 ? [other] : []))], kill, window);
    expect(v).toMatchObject({ status: 'missed', met: false, measured: null });
    expect(v.detail).toBe('not detected within 5s: InstanceDown never fired; alerts that fired during the run: HighLatency{job=kv}');
  });

  it('misses a detection seen after its bound', () => {
    expect(evaluateDetection(spec({ within: 1_000 }), [log(20_000, (t) => (t >= 3_000 ? [down] : []))], kill, window)).toMatchObject({ status: 'missed', measured: 2_010 });
  });

  it('is unknown, never missed, when the observer stopped answering before the alert was seen', () => {
    const v = evaluateDetection(spec(), [log(20_000, (t) => (t >= 2_000 ? 'fail' : []))], kill, window);
    expect(v).toMatchObject({ status: 'unknown', met: false, measured: null });
    expect(v.detail).toMatch(/^could not tell whether InstanceDown fired within 5s: observer "alerts" \(http:\/\/127\.0\.0\.1:9093\) did not answer at \+1\.01s: connection refused/);
  });

  it('is unknown when the reads ended before the bound', () => {
    expect(evaluateDetection(spec(), [log(3_000, () => [])], kill, window).detail).toMatch(/read for only 2\.01s after the first injection/);
  });

  it('judges resolution from the last revert', () => {
    const firing = (from: number, to: number) => log(20_000, (t) => (t >= from && t < to ? [down] : []));
    const met = evaluateDetection(spec({ resolvedWithin: 3_000 }), [firing(2_000, 6_000)], pause, window);
    expect(met).toMatchObject({ status: 'met', measured: 1_010 });
    expect(met.figures.resolvedMs).toBe(2_010);
    const late = evaluateDetection(spec({ resolvedWithin: 3_000 }), [firing(2_000, 9_000)], pause, window);
    expect(late).toMatchObject({ status: 'missed', measured: 1_010 });
    expect(late.detail).toMatch(/resolved 5\.01s after pause-1/);
    const never = evaluateDetection(spec({ resolvedWithin: 3_000 }), [firing(2_000, 99_000)], pause, window);
    expect(never.detail).toMatch(/but still firing 16\.01s after pause-1/);
  });

  it('is unknown when the observer recorded nothing', () => {
    expect(evaluateDetection(spec(), [], kill, window)).toMatchObject({ status: 'unknown', detail: 'observer "alerts" recorded nothing' });
  });
});
