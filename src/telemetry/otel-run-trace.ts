// A run as an OpenTelemetry trace, built from the journal's events as they happen (the engine
// knows nothing of it): a span for the run, a child span per phase, a span per fault per target
// from its injection to its revert (under the phase it was injected in), and each verdict as an
// event of the run span with its measured value. Times are the journal's own (epoch ms). The
// attribute names are published in docs/observability.md: keep them stable.
import { SpanStatusCode, context, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { Journal, JournalEvent, Phase } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import { outcome } from '../report/format.js';

export interface RunIdentity {
  runId: string;
  experiment: string;
  driver: string;
}

type Sampled = Parameters<JournalListener>[0];

export class RunTrace {
  private run: Span | undefined;
  private phase: { name: Phase; span: Span } | undefined;
  /** Fault spans still open, by fault and target, with the time of their injection. */
  private readonly faults = new Map<string, { span: Span; t: number }>();

  constructor(
    private readonly tracer: Tracer,
    private readonly id: RunIdentity,
    private readonly redact: (text: string) => string,
  ) {}

  readonly listener: JournalListener = (e) => this.see(e);

  /** Ends every span from the finished (redacted) journal. */
  finish(j: Journal): void {
    const run = this.runSpan(j.startedAt);
    for (const [key, open] of this.faults) {
      const fault = j.faults.find((f) => key.startsWith(`${f.name}\u0000`));
      if (fault?.instant) open.span.end(open.t);
      else {
        open.span.setStatus({ code: SpanStatusCode.ERROR, message: 'not reverted' });
        open.span.end(j.endedAt);
      }
    }
    this.faults.clear();
    this.phase?.span.end(j.endedAt);
    this.phase = undefined;
    for (const v of j.verdicts) {
      run.addEvent(
        'faultline.verdict',
        {
          'faultline.objective': v.objective,
          'faultline.objective.kind': v.kind,
          'faultline.verdict.status': v.status,
          ...(v.measured !== null ? { 'faultline.verdict.measured': v.measured } : {}),
          'faultline.verdict.bound': v.bound,
          'faultline.verdict.unit': v.unit,
          'faultline.verdict.detail': v.detail,
          ...(v.probe ? { 'faultline.probe': v.probe } : {}),
          ...(v.workload ? { 'faultline.workload': v.workload } : {}),
        },
        j.endedAt,
      );
    }
    const o = outcome(j);
    run.setAttributes({
      'faultline.seed': j.seed,
      'faultline.run.status': j.status,
      'faultline.run.deviated': j.deviated,
      'faultline.run.unclean': j.unclean,
      'faultline.run.outcome': o.passed ? 'passed' : 'failed',
    });
    if (!o.passed) run.setStatus({ code: SpanStatusCode.ERROR, message: o.problems.join('; ') });
    run.end(j.endedAt);
  }

  private see(e: Sampled): void {
    if (e.type === 'sample' || e.type === 'workload') return;
    const run = this.runSpan(e.t);
    if (e.type === 'phase') this.enter(run, e.phase, e.t);
    else if (e.type === 'inject') this.injected(e);
    else if (e.type === 'revert') this.reverted(e);
    else if (e.type === 'targets') run.setAttribute('faultline.targets', e.targets.map((t) => this.redact(`${t.group}/${t.name}`)));
    else if (e.type === 'abort') run.addEvent('faultline.abort', { 'faultline.reason': this.redact(e.reason) }, e.t);
    else if (e.type === 'interrupt') run.addEvent('faultline.interrupt', { 'faultline.signal': e.signal }, e.t);
  }

  private runSpan(t: number): Span {
    this.run ??= this.tracer.startSpan('faultline run', {
      startTime: t,
      attributes: { 'faultline.run.id': this.id.runId, 'faultline.experiment': this.redact(this.id.experiment), 'faultline.driver': this.id.driver },
    });
    return this.run;
  }

  private enter(run: Span, phase: Phase, t: number): void {
    this.phase?.span.end(t);
    const span = this.tracer.startSpan(`phase ${phase}`, { startTime: t, attributes: { ...this.base(), 'faultline.phase': phase } }, trace.setSpan(context.active(), run));
    this.phase = { name: phase, span };
  }

  private injected(e: Extract<JournalEvent, { type: 'inject' }>): void {
    const parent = this.phase?.span ?? this.run!;
    const attributes: Attributes = { ...this.base(), 'faultline.fault.name': this.redact(e.fault), 'faultline.fault.kind': e.kind, 'faultline.target': this.redact(e.target) };
    const span = this.tracer.startSpan(`fault ${e.kind}`, { startTime: e.t, attributes }, trace.setSpan(context.active(), parent));
    if (!e.ok) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: this.redact(e.error ?? 'injection failed') });
      span.end(e.t);
      return;
    }
    this.faults.set(faultKey(e), { span, t: e.t });
  }

  private reverted(e: Extract<JournalEvent, { type: 'revert' }>): void {
    const open = this.faults.get(faultKey(e));
    if (!open) return;
    this.faults.delete(faultKey(e));
    if (e.note) open.span.setAttribute('faultline.revert.note', this.redact(e.note));
    if (!e.ok) open.span.setStatus({ code: SpanStatusCode.ERROR, message: `revert failed: ${this.redact(e.error ?? '')}` });
    open.span.end(e.t);
  }

  private base(): Attributes {
    return { 'faultline.run.id': this.id.runId, 'faultline.experiment': this.redact(this.id.experiment) };
  }
}

function faultKey(e: { fault: string; target: string }): string {
  return `${e.fault}\u0000${e.target}`;
}
