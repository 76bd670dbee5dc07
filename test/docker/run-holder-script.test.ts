// The run's engine holder script, run for real without Docker (under dash and busybox sh, the
// shells of the default and the host-built images' kind) with the real curl against a fake engine
// socket: holds acknowledged with their record, a released hold never fires, an unreleased one
// plays its calls at its deadline even after stdin closed, and the script exits once nothing is left.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOLDER_SOCKET } from '../../src/drivers/docker/holder.js';
import { activeHolds, stdoutOf } from '../../src/drivers/docker/holder-log.js';
import { holdLine, releaseLine, runHolderScript, type HoldRecord } from '../../src/drivers/docker/run-holder-script.js';

const record = (target: string): HoldRecord => ({ kind: 'pause', fault: 'pause-0', target, targetName: `n-${target}`, expiresAt: '2026-01-01T00:00:00.000Z', undo: { action: 'unpause', target } });

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('deadline passed');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a holder log', () => {
  it("is read from the engine's frames (stdout only), and a record that cannot be read stays active as null", () => {
    const frame = (type: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = type;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const log = Buffer.concat([frame(1, `held h1 ${JSON.stringify(record('aaa'))}\nhe`), frame(2, '/x: 500 busy\n'), frame(1, 'ld h2 {"cut\nheld h3 {}\nfired h3\n')]);
    expect(stdoutOf(log)).toBe(`held h1 ${JSON.stringify(record('aaa'))}\nheld h2 {"cut\nheld h3 {}\nfired h3\n`);
    expect(activeHolds(stdoutOf(log))).toEqual([
      { id: 'h1', record: record('aaa') },
      { id: 'h2', record: null },
    ]);
  });
});

describe.each([['dash'], ['busybox sh']])('run holder script under %s', (shell) => {
  it('acknowledges holds, forgets released ones, fires the rest at their deadline after stdin closed, then exits', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-runholder-'));
    const sock = path.join(dir, 'docker.sock');
    const seen: { url: string; at: number }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', at: Date.now() });
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(sock, r));
    const [cmd, ...pre] = shell.split(' ');
    const child = spawn(cmd!, [...pre, '-c', runHolderScript().replaceAll(HOLDER_SOCKET, sock)], { env: { PATH: '/usr/bin:/bin' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    try {
      const deadline = Math.ceil(Date.now() / 1000 + 2) * 1000;
      child.stdin.write(holdLine('h1', deadline, [{ path: '/containers/aaa/unpause' }], record('aaa')));
      // Released long before its deadline: the script must not wait for it to exit.
      child.stdin.write(holdLine('h2', deadline + 600_000, [{ path: '/containers/bbb/unpause' }], record('bbb')));
      await until(() => out.includes('held h1 ') && out.includes('held h2 '), 10_000);
      expect(activeHolds(out).map((h) => h.record)).toEqual([record('aaa'), record('bbb')]);
      child.stdin.write(releaseLine('h2'));
      await until(() => out.includes('released h2'), 10_000);
      expect(activeHolds(out).map((h) => h.id)).toEqual(['h1']);
      // The runner is gone: its timers stay.
      child.stdin.end();
      expect(await exited).toBe(0);
      expect(seen.map((s) => s.url)).toEqual(['/containers/aaa/unpause']);
      expect(seen[0]!.at).toBeGreaterThanOrEqual(deadline);
      expect(out).toMatch(/^fired h1$/m);
      expect(activeHolds(out)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      server.close();
    }
  }, 30_000);
});
