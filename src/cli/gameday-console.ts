// `faultline gameday --console`: one live console for the whole game day. The room keeps one URL
// and the facilitator one token while the steps run one after another: each experiment's run
// shows on it as it starts (its plan, timeline and objectives), the Advance button passes manual
// gates, Halt runs `faultline halt` (which stops the step under way, and the game day sees the
// lock at its next gate or wait), and logbook entries go to the journal of the step under way and
// to the game day's logbook.jsonl (with the step's label), fsynced before the facilitator is told;
// at a gate or a wait, where no run has a journal, to the game day's logbook.jsonl only.
import path from 'node:path';
import type { LogbookEvent } from '../domain/logbook.js';
import type { Journal } from '../domain/model.js';
import { printable } from '../domain/printable.js';
import { redactValue } from '../domain/redact.js';
import type { JournalRecorder } from '../journal/recorder.js';
import { systemClock } from '../runtime/system-clock.js';
import { haltFromConsole } from './console-halt.js';
import { NotNow, startConsole, type ConsolePlan, type LogbookEntry } from './console-server.js';
import type { GateSource } from './gates.js';
import { livePlan } from './live-status.js';
import { LOGBOOK_FILE, LogbookFile } from './logbook-file.js';
import type { ConsoleForRuns, RunConsole } from './run-console.js';
import type { Terminal } from './terminal.js';

export interface GamedayConsole extends ConsoleForRuns {
  /** Advance at a manual gate, from the console's button. */
  gates: GateSource;
  /** The step now under way: entries made while no experiment runs (a gate, a wait) are filed under it. */
  step(step: { label: string; kind: string }): void;
  close(): Promise<void>;
}

export async function openGamedayConsole(o: { name: string; runId: string; startedAt: number; stateDir: string; dir: string; listen?: string }, term: Terminal): Promise<GamedayConsole> {
  const logbook = new LogbookFile(path.join(o.dir, LOGBOOK_FILE));
  // The step under way: where logbook entries are recorded, and how they are redacted.
  let step: { recorder?: JournalRecorder; redact: (text: string) => string } | undefined;
  let current: { label: string; kind: string } | undefined;
  const plan: ConsolePlan = { experiment: `game day ${o.name}`, runId: o.runId, driver: '-', startedAt: o.startedAt, faults: [], objectives: [] };

  const c = await startConsole({
    plan,
    ...(o.listen !== undefined ? { listen: o.listen } : {}),
    logbook: (entry: LogbookEntry) => {
      const recorder = step?.recorder;
      const { type, ...fields } = entry;
      if (recorder && step) {
        recorder.record(type, fields as never);
        logbook.append({ ...redactValue(recorder.journal.events[recorder.journal.events.length - 1] as LogbookEvent, step.redact), ...(current ? { step: current.label } : {}) });
        return;
      }
      // At a gate or a wait no run has a journal: the game day's logbook is the record, filed under
      // the step under way, and the room sees the entry on the console like any other.
      if (!current) throw new NotNow('the game day has not started a step yet: notes are recorded once it has');
      const event = { t: systemClock.now(), type, ...fields } as LogbookEvent;
      logbook.append({ ...event, step: current.label });
      c.listener(event);
    },
    halt: async () => {
      step?.recorder?.record('log', { level: 'warn', message: 'halt pressed in the console: running `faultline halt`' });
      term.err('faultline: halt pressed in the console; running `faultline halt` (the game day stops)');
      const r = await haltFromConsole(o.stateDir, `halted from the console of game day ${o.name} (${o.runId})`);
      for (const line of `${r.stdout}${r.stderr}`.split('\n').filter(Boolean)) term.err(`halt: ${printable(line)}`);
      if (r.code !== 0) throw new Error(`faultline halt ended with ${r.error ?? `exit ${r.code}`}`);
    },
  });
  term.err(`console: ${c.url} (read-only: share it with the room)`);
  term.err(`console for the facilitator (controls; keep it to yourself): ${c.facilitatorUrl}`);

  return {
    forRun(run): RunConsole {
      const here = { redact: run.redact } as { recorder?: JournalRecorder; redact: (text: string) => string };
      step = here;
      const runPlan: ConsolePlan = { experiment: run.experiment.metadata.name, runId: run.runId, driver: run.experiment.spec.driver, startedAt: run.startedAt, ...livePlan(run.experiment) };
      return {
        listener: (e) => c.listener(redactValue(e, run.redact)),
        onRecorder(rec) {
          here.recorder = rec;
          c.beginRun({ ...runPlan, startedAt: rec.journal.startedAt });
        },
        async close(journal?: Journal) {
          if (journal) c.finish({ status: journal.status, ...(journal.reason !== undefined ? { reason: journal.reason } : {}), verdicts: journal.verdicts });
          if (step === here) step = undefined;
        },
      };
    },
    step(s) {
      current = s;
    },
    gates: {
      wait: (label, prompt, signal) => c.waitForAdvance(prompt ?? `gate ${label}`, signal).then(() => 'console'),
      close: () => undefined,
    },
    async close() {
      logbook.close();
      await c.close();
    },
  };
}
