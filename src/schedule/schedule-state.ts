// What a schedule remembers between decisions and across restarts: the last instant it handled (so
// a restart or `--once` never runs one twice) and whether it is paused after a missed objective
// (cleared by `faultline schedule resume`). Kept in a JSON file by src/cli/schedule-state-file.ts.
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
