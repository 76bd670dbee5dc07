// Stopping a supervised service: what it writes while it goes is kept, output that arrives after
// the stop never crashes the runner, and a child that ignores SIGTERM does not outlive the stop.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SupervisedService } from '../../src/drivers/process/supervised-service.js';
import type { StartedServiceSpec } from '../../src/domain/experiment.js';
import type { DriverEvent } from '../../src/drivers/driver.js';
import { processAlive } from '../../src/runtime/processes.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { waitFor } from '../support/http-kv-store.js';

let dir: string;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function service(script: string, stopTimeout = 3000, onEvent: (e: DriverEvent) => void = () => {}): { svc: SupervisedService; log: string } {
  dir = mkdtempSync(join(tmpdir(), 'faultline-svc-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'service.log');
  const spec: StartedServiceSpec & { cwd: string } = {
    command: ['sh', '-c', script],
    restart: 'never',
    restartDelay: 100,
    stopTimeout,
    cwd: dir,
  };
  const svc = new SupervisedService('svc', spec, { clock: systemClock, onEvent, env: process.env, logFile: log });
  return { svc, log };
}

// "up" only once the grandchild runs in its own session: `setsid` forks first, and a stop that came
// before its setsid() would still reach it through the service's group.
const DETACHED_THEN_UP = 'while [ ! -e detached ]; do sleep 0.02; done; echo up; exec sleep 100';

describe('SupervisedService.stop', () => {
  it('keeps what the service writes as it stops', async () => {
    const { svc, log } = service(`trap 'echo last words; exit 0' TERM; echo up; while :; do sleep 0.02; done`);
    svc.start();
    await waitFor('the service to say it is up', () => svc.recentOutput().includes('up'));
    await svc.stop();
    expect(readFileSync(log, 'utf8')).toContain('last words');
  });

  it('keeps what a child outside its group writes after the service itself has exited', async () => {
    // 'exit' comes before the pipes close; the log must still be open for what follows it.
    const { svc, log } = service(`setsid sh -c ': > detached; while kill -0 $1 2>/dev/null; do sleep 0.02; done; echo after the leader' _ $$ & ${DETACHED_THEN_UP}`);
    svc.start();
    await waitFor('the service to say it is up', () => svc.recentOutput().includes('up'));
    await svc.stop();
    expect(readFileSync(log, 'utf8')).toBe('up\nafter the leader\n');
    expect(svc.recentOutput()).not.toMatch(/faultline:/);
  });

  it('ends when a process outside its group holds its output open, and what that writes later is ignored', async () => {
    // The grandchild leaves the group (setsid), so no signal of the stop reaches it; it writes only
    // after the stop has returned, which is when the log has been closed.
    const { svc, log } = service(`setsid sh -c ': > detached; trap "" PIPE; while [ ! -e go ]; do sleep 0.02; done; echo late; touch done' & ${DETACHED_THEN_UP}`);
    cleanups.push(() => writeFileSync(join(dir, 'go'), ''));
    svc.start();
    await waitFor('the service to say it is up', () => svc.recentOutput().includes('up'));
    await svc.stop();
    writeFileSync(join(dir, 'go'), '');
    await waitFor('the grandchild to write and exit', () => existsSync(join(dir, 'done')));
    expect(readFileSync(log, 'utf8')).toBe('up\n');
    expect(svc.recentOutput()).not.toMatch(/faultline:/);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const { svc } = service(`sh -c 'trap "" TERM; echo $$ > child.pid; exec sleep 100' & echo up; exec sleep 100`, 300);
    svc.start();
    await waitFor('the child to write its pid', () => existsSync(join(dir, 'child.pid')) && readFileSync(join(dir, 'child.pid'), 'utf8').endsWith('\n'));
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    cleanups.push(() => {
      if (processAlive(child)) process.kill(child, 'SIGKILL');
    });
    await svc.stop();
    await waitFor('the child to be gone', () => !processAlive(child));
  });

  it('stops what a leader that exited by itself left in its group', async () => {
    let exited = false;
    const script = `sh -c 'trap "" TERM; echo $$ > child.pid; exec sleep 100' & while [ ! -s child.pid ]; do sleep 0.02; done; exit 0`;
    const { svc } = service(script, 300, (e) => (exited ||= e.event === 'exited'));
    svc.start();
    await waitFor('the leader to exit', () => exited);
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    cleanups.push(() => {
      if (processAlive(child)) process.kill(child, 'SIGKILL');
    });
    expect(processAlive(child)).toBe(true);
    await svc.stop();
    await waitFor('the child to be gone', () => !processAlive(child));
  });
});
