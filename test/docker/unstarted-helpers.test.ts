// Which stopped helper containers belong to a run that is over: the rule every command and every
// new holder applies before removing a holder left `created` by a runner killed before `start`.
import { describe, expect, it } from 'vitest';
import { CREATED_LABEL, RUNNER_LABEL, UNSTARTED_GRACE_MS, runIsOver, runnerLabel, thisHost, type Here } from '../../src/drivers/docker/unstarted-helpers.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const here: Here = { hostname: 'box', alive: (pid, start) => pid === 100 && (start === undefined || start === '555') };
const labels = (runner: string | undefined, createdMsAgo?: number) => ({
  ...(runner !== undefined ? { [RUNNER_LABEL]: runner } : {}),
  ...(createdMsAgo !== undefined ? { [CREATED_LABEL]: new Date(now - createdMsAgo).toISOString() } : {}),
});

describe('runIsOver', () => {
  it('a runner on this host decides by its liveness alone, however young or old the container', () => {
    expect(runIsOver(labels('box/100/555', 60 * 60_000), now, now, here)).toBe(false);
    expect(runIsOver(labels('box/101/555', 0), now, now, here)).toBe(true);
    // A recycled pid: same number, another process.
    expect(runIsOver(labels('box/100/777', 0), now, now, here)).toBe(true);
    // No start time recorded (not Linux): the pid alone.
    expect(runIsOver(labels('box/100/', 0), now, now, here)).toBe(false);
  });

  it('a runner on another host, or none recorded, is presumed over once the container is older than the grace', () => {
    expect(runIsOver(labels('elsewhere/100/555', UNSTARTED_GRACE_MS - 1000), now, now, here)).toBe(false);
    expect(runIsOver(labels('elsewhere/100/555', UNSTARTED_GRACE_MS + 1000), now, now, here)).toBe(true);
    // No labels at all: the engine's creation time counts.
    expect(runIsOver({}, now - 1000, now, here)).toBe(false);
    expect(runIsOver({}, now - UNSTARTED_GRACE_MS - 1000, now, here)).toBe(true);
  });

  it('this process, as labelled, is alive on this host', () => {
    expect(runIsOver(runnerLabel(), 0, Number.MAX_SAFE_INTEGER, thisHost)).toBe(false);
  });
});
