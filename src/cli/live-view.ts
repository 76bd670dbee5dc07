// The live timeline while a run is in progress: one line per event (phases, injections, reverts,
// service restarts, probes turning red or green), and on a TTY a status line redrawn in place
// with the phase, elapsed time and each probe's health.
import type { JournalEvent, Phase, Sample } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import { formatEvent, painter } from '../report/index.js';
import type { Terminal } from './terminal.js';

interface ProbeHealth {
  last?: Sample;
  ok: number;
  total: number;
}

export interface LiveView {
  listener: JournalListener;
  stop(): void;
}

export function liveView(term: Terminal, startedAt: number, now: () => number): LiveView {
  let phase: Phase = 'setup';
  const probes = new Map<string, ProbeHealth>();
  let activeFaults = 0;
  const paint = painter(term.color);

  const line = (e: JournalEvent) => {
    const text = formatEvent(e, startedAt);
    if (e.type === 'inject' || e.type === 'revert') term.err(e.ok ? text : paint('red', text));
    else if (e.type === 'abort' || e.type === 'interrupt') term.err(paint('yellow', text));
    else if (e.type === 'phase') term.err(paint('bold', text));
    else if (e.type !== 'targets') term.err(text);
  };

  const listener: JournalListener = (e) => {
    if (e.type === 'sample') {
      const h = probes.get(e.sample.probe) ?? { ok: 0, total: 0 };
      const turned = h.last !== undefined && h.last.ok !== e.sample.ok;
      h.last = e.sample;
      h.total++;
      if (e.sample.ok) h.ok++;
      probes.set(e.sample.probe, h);
      if (turned) {
        const offset = `+${((e.sample.t - startedAt) / 1000).toFixed(3)}s`;
        term.err(e.sample.ok ? paint('green', `${offset} probe ${e.sample.probe} passing again (${e.sample.ms.toFixed(1)}ms)`) : paint('red', `${offset} probe ${e.sample.probe} failing: ${e.sample.error ?? 'failed'}`));
      }
      return;
    }
    if (e.type === 'phase') phase = e.phase;
    if (e.type === 'inject' && e.ok) activeFaults++;
    if (e.type === 'revert' && e.ok) activeFaults = Math.max(0, activeFaults - 1);
    if (e.type === 'targets') term.err(`targets (frozen): ${e.targets.map((t) => `${t.group}/${t.name}${t.meta.pid ? ` (pid ${String(t.meta.pid)})` : ''}`).join(', ')}`);
    line(e);
  };

  const render = () => {
    const elapsed = ((now() - startedAt) / 1000).toFixed(1);
    const health = [...probes.entries()].map(([name, h]) => {
      const mark = h.last?.ok ? paint('green', '✔') : paint('red', '✘');
      const ms = h.last ? `${h.last.ms.toFixed(0)}ms` : '';
      return `${name} ${mark} ${ms} ${((h.ok / Math.max(1, h.total)) * 100).toFixed(0)}%`;
    });
    term.status(`[${phase}] +${elapsed}s  ${health.join('  ')}${activeFaults ? `  | faults active: ${activeFaults}` : ''}`);
  };
  const timer = term.tty ? setInterval(render, 200) : undefined;
  return {
    listener,
    stop() {
      if (timer) clearInterval(timer);
      term.status('');
    },
  };
}
