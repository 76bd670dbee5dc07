// The runner's side of the run's engine holder when the holder does not acknowledge a hold in time:
// the injection falls back to a holder of its own, so the unanswered hold is released on the same
// channel, after it (a slow holder that arms it late must not also play the undo at expiry).
// The holder here is a stream that records what the runner writes and never answers.
import { Duplex } from 'node:stream';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { silentLogger, type RunContext } from '../../src/domain/context.js';
import { RunHolder } from '../../src/drivers/docker/run-holder.js';
import { randomStream } from '../../src/runtime/random.js';

/** A clock whose every sleep ends at once: the acknowledgement's deadline passes immediately. */
const impatient: RunContext['clock'] = { now: () => Date.now(), sleep: () => Promise.resolve() };

describe("the run's engine holder, unanswered", () => {
  it('a hold not acknowledged in time is refused and then released, in that order', async () => {
    const written: string[] = [];
    const silent = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    });
    const holder = new RunHolder('c0ffee', silent, new Dockerode());
    const ctx: RunContext = { clock: impatient, signal: new AbortController().signal, log: silentLogger, runId: 'tunanswe', rng: randomStream('s', 'r') };
    const record = { kind: 'pause', fault: 'p', target: 't', targetName: 'n', expiresAt: new Date(0).toISOString(), undo: null };
    await expect(holder.hold(record, [], Date.now() + 60_000, ctx)).rejects.toThrow(/did not answer "held h1"/);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^hold h1 \d+ /);
    expect(written[1]).toBe('release h1\n');
    // It is still usable: the next hold gets its own id, and is released the same way.
    await expect(holder.hold(record, [], Date.now() + 60_000, ctx)).rejects.toThrow(/held h2/);
    expect(written.slice(2).map((l) => l.split(' ').slice(0, 2).join(' ').trim())).toEqual(['hold h2', 'release h2']);
    holder.close();
  });
});
