// Where a run will write its records is checked before anything is touched: a typo in --junit
// must not be found out only after the faults have run.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../domain/errors.js';

/** Throws unless `file` can be created (or replaced) as a file: its nearest existing ancestor is a writable directory. */
export function checkWritableFile(option: string, file: string): void {
  const target = path.resolve(file);
  const existing = statOf(option, target);
  if (existing?.isDirectory()) throw new InvalidInputError(`${option} ${file}: this is a directory; give a file name`);
  checkWritableDir(option, path.dirname(target));
}

/** Throws unless `dir` exists as a writable directory or could be created below one that does. */
export function checkWritableDir(option: string, dir: string): void {
  let probe = path.resolve(dir);
  for (;;) {
    const st = statOf(option, probe);
    if (st) {
      if (!st.isDirectory()) throw new InvalidInputError(`${option}: ${probe} is not a directory, so ${dir} cannot be created`);
      try {
        accessSync(probe, constants.W_OK);
      } catch {
        throw new InvalidInputError(`${option}: cannot write in ${probe} (permission denied)`);
      }
      return;
    }
    const parent = path.dirname(probe);
    if (parent === probe) return;
    probe = parent;
  }
}

function statOf(option: string, p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new InvalidInputError(`${option} ${p}: a component of this path is a file, not a directory`);
    throw e;
  }
}
