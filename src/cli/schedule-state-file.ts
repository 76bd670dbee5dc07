// The schedule state as a JSON file in the state directory, written atomically (write, rename) so
// that `faultline schedule resume` in another process and the daemon never see half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ScheduleState, ScheduleStateStore } from '../schedule/schedule-state.js';

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
        const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.file);
      return state;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
