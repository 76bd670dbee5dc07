import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/domain/read-journal.js';
import { journalFixture as sampleJournal } from '../fixtures/journal.js';

describe('readJournal', () => {
  it("reads an objective's bound written under its pre-0.2 name `target`", () => {
    const current = sampleJournal();
    const legacy = JSON.parse(JSON.stringify(current)) as { verdicts: Record<string, unknown>[] };
    for (const v of legacy.verdicts) {
      v.target = v.bound;
      delete v.bound;
    }
    const read = readJournal(legacy);
    expect(read.verdicts.map((v) => v.bound)).toEqual(current.verdicts.map((v) => v.bound));
    expect(read.verdicts.every((v) => !('target' in v))).toBe(true);
  });

  it('leaves a current journal as it is', () => {
    const current = sampleJournal();
    expect(readJournal(JSON.parse(JSON.stringify(current)))).toEqual(current);
  });

  it('rejects what is not a journal', () => {
    expect(() => readJournal({ schemaVersion: 2 })).toThrow('not a faultline journal');
    expect(() => readJournal(null)).toThrow('not a faultline journal');
  });
});
