// The live timeline while a run is in progress: one line per event (phases, injections, reverts,
// service restarts, probes turning red or green), and on a TTY a status line redrawn in place
// (see live-status.ts: faults in place with their countdowns, objectives beside their targets).
import type { JournalEvent } from '../domain/model.js';
import { printable } from '../domain/printable.js';
import type { JournalListener } from '../journal/recorder.js';
import { formatEvent, painter } from '../report/index.js';
import { LiveStatus, type LivePlan } from './live-status.js';
import type { Terminal } from './terminal.js';

export interface LiveView {
  listener: JournalListener;
  /** Redraws the status line now (a TTY does it every 200 ms). */
  render(): void;
  stop(): void;
}

export function liveView(term: Terminal, startedAt: number, now: () => number, plan: LivePlan = { faults: [], objectives: [] }): LiveView {
  const status = new LiveStatus(startedAt, plan);
  const lastOk = new Map<string, boolean>();
  const paint = painter(term.color);

  const line = (e: JournalEvent) => {
    const text = formatEvent(e, startedAt);
    if (e.type === 'inject' || e.type === 'revert') term.err(e.ok ? text : paint('red', text));
    else if (e.type === 'abort' || e.type === 'interrupt') term.err(paint('yellow', text));
    else if (e.type === 'phase') term.err(paint('bold', text));
    else if (e.type !== 'targets') term.err(text);
  };

  const listener: JournalListener = (e) => {
    status.observe(e);
    if (e.type === 'sample') {
      const s = e.sample;
      const turned = lastOk.has(s.probe) && lastOk.get(s.probe) !== s.ok;
      lastOk.set(s.probe, s.ok);
      if (turned) {
        // A sample is reported when it completes, after events that happened while it was in
        // flight: its completion time keeps the log in time order (its start is in the journal).
        const at = `+${((s.t + s.ms - startedAt) / 1000).toFixed(3)}s`;
        term.err(s.ok ? paint('green', `${at} probe ${s.probe} passing again (${s.ms.toFixed(1)}ms)`) : paint('red', `${at} probe ${s.probe} failing: ${printable(s.error ?? 'failed').replace(/\s*\n\s*/g, ' ')}`));
      }
      return;
    }
    // The terminal keeps to events; workload curves are the console's.
    if (e.type === 'workload') return;
    if (e.type === 'targets') term.err(printable(`targets (frozen): ${e.targets.map((t) => `${t.group}/${t.name}${t.meta.pid ? ` (pid ${String(t.meta.pid)})` : t.meta.external ? ' (external)' : ''}`).join(', ')}`));
    line(e);
  };

  const render = () => term.status(status.text(now(), paint));
  const timer = term.tty ? setInterval(render, 200) : undefined;
  return {
    listener,
    render,
    stop() {
      if (timer) clearInterval(timer);
      term.status('');
    },
  };
}
