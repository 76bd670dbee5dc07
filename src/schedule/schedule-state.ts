// What a schedule remembers between decisions and across restarts, in a small JSON file in the
// state directory: the last instant it handled (so a restart or `--once` never runs one twice)
// and whether it is paused after a missed objective (cleared by `faultline schedule resume`).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface PauseRecord {
  /** Epoch ms. */
  since: number;
  experiment: string;
  runId: string;
  reason: string;
}

export interface ScheduleState {
  lastInstant?: number;
  paused?: PauseRecord;
}

export interface ScheduleStateStore {
  read(): Promise<ScheduleState>;
  /** Read, change and write back; another process (resume) may have changed the file meanwhile. */
  update(change: (s: ScheduleState) => ScheduleState): Promise<ScheduleState>;
}

export const scheduleStatePath = (stateDir: string, scheduleName: string) => path.join(stateDir, 'schedules', `${scheduleName}.json`);

export class FileScheduleState implements ScheduleStateStore {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  async read(): Promise<ScheduleState> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as ScheduleState;
    } catch (e) {
      // A missing file is a schedule that never ran; a torn one is treated the same rather than wedging the daemon.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || e instanceof SyntaxError) return {};
      throw e;
    }
  }

  update(change: (s: ScheduleState) => ScheduleState): Promise<ScheduleState> {
    const next = this.chain.then(async () => {
      const state = change(await this.read());
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.file);
      return state;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** In memory, for tests and previews. */
export class MemoryScheduleState implements ScheduleStateStore {
  constructor(private state: ScheduleState = {}) {}

  async read(): Promise<ScheduleState> {
    return structuredClone(this.state);
  }

  async update(change: (s: ScheduleState) => ScheduleState): Promise<ScheduleState> {
    this.state = change(structuredClone(this.state));
    return structuredClone(this.state);
  }
}
