// `faultline run --console`: the live web console wired to one run. Viewers see the run's journal
// events (redacted, like everything faultline shows); the Halt button runs `faultline halt`; each
// logbook entry becomes a journal event and a line of logbook.jsonl, fsynced before the
// facilitator's browser is told it is recorded.
import path from 'node:path';
import type { Experiment } from '../domain/experiment.js';
import type { LogbookEvent } from '../domain/logbook.js';
import type { Journal } from '../domain/model.js';
import { printable } from '../domain/printable.js';
import { redactValue } from '../domain/redact.js';
import { runHostCommand } from '../drivers/host-command.js';
import type { JournalListener, JournalRecorder } from '../journal/recorder.js';
import { haltFromConsole } from './console-halt.js';
import { NotNow, startConsole, type LogbookEntry } from './console-server.js';
import { livePlan } from './live-status.js';
import { LOGBOOK_FILE, LogbookFile } from './logbook-file.js';
import type { Terminal } from './terminal.js';

export interface RunConsoleOptions {
  experiment: Experiment;
  runId: string;
  startedAt: number;
  stateDir: string;
  runDir: string;
  listen?: string;
  open?: boolean;
  redact: (text: string) => string;
}

export interface RunConsole {
  listener: JournalListener;
  onRecorder(recorder: JournalRecorder): void;
  /** Tells viewers how the run ended (when it got a journal) and closes the console. */
  close(journal?: Journal): Promise<void>;
}

/** One console serving run after run (a game day's steps): each run gets its part of it. */
export interface ConsoleForRuns {
  forRun(o: Pick<RunConsoleOptions, 'experiment' | 'runId' | 'startedAt' | 'runDir' | 'redact'>): RunConsole;
}

export async function openRunConsole(o: RunConsoleOptions, term: Terminal): Promise<RunConsole> {
  let recorder: JournalRecorder | undefined;
  const logbook = new LogbookFile(path.join(o.runDir, LOGBOOK_FILE));
  const plan = livePlan(o.experiment);
  const basePlan = { experiment: o.experiment.metadata.name, runId: o.runId, driver: o.experiment.spec.driver, startedAt: o.startedAt, ...plan };

  const record = (entry: LogbookEntry): void => {
    if (!recorder) throw new NotNow('the run has not started yet: notes are recorded once it has');
    const { type, ...fields } = entry;
    recorder.record(type, fields as never);
    const event = recorder.journal.events[recorder.journal.events.length - 1] as LogbookEvent;
    logbook.append(redactValue(event, o.redact));
  };

  const c = await startConsole({
    plan: basePlan,
    ...(o.listen !== undefined ? { listen: o.listen } : {}),
    logbook: record,
    halt: async () => {
      recorder?.record('log', { level: 'warn', message: 'halt pressed in the console: running `faultline halt`' });
      term.err('faultline: halt pressed in the console; running `faultline halt`');
      const r = await haltFromConsole(o.stateDir, `halted from the console of run ${o.runId}`);
      for (const line of `${r.stdout}${r.stderr}`.split('\n').filter(Boolean)) term.err(`halt: ${printable(line)}`);
      if (r.code !== 0) throw new Error(`faultline halt ended with ${r.error ?? `exit ${r.code}`}`);
    },
  });
  // Printed once and kept nowhere else: the facilitator link carries the token.
  term.err(`console: ${c.url} (read-only: share it with the room)`);
  term.err(`console for the facilitator (controls; keep it to yourself): ${c.facilitatorUrl}`);
  if (o.open) {
    void runHostCommand(['xdg-open', c.facilitatorUrl], { timeoutMs: 10_000 }).then((r) => {
      if (r.code !== 0) term.err(`warning: could not open a browser (${r.error ?? `xdg-open exit ${r.code}`}); open the console link yourself`);
    });
  }

  return {
    listener: (e) => c.listener(redactValue(e, o.redact)),
    onRecorder(rec) {
      recorder = rec;
      c.beginRun({ ...basePlan, startedAt: rec.journal.startedAt });
    },
    async close(journal) {
      if (journal) c.finish({ status: journal.status, ...(journal.reason !== undefined ? { reason: journal.reason } : {}), verdicts: journal.verdicts });
      logbook.close();
      await c.close();
    },
  };
}
