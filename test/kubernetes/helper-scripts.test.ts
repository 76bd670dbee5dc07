// The helpers' shell scripts run for real under a POSIX sh (dash here, busybox ash in Alpine-based
// helper images), against fake tc / ip / iptables that record their calls and keep their state in
// files: the impairment is applied, held until removed or until the deadline, and cleaned up; a
// helper started after FAULTLINE_START_BY does nothing.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Impairment } from '../../src/drivers/driver.js';
import { impairScript, killScript, restoreScript } from '../../src/drivers/kubernetes/helper-scripts.js';

// Not this host's busybox: built as a "standalone shell" it would run its own tc and ip applets
// instead of the fakes on PATH.
const SHELL = ['/bin/sh'];

function fakeTools(): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-tools-'));
  const log = join(dir, 'calls.log');
  const tool = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} $*" >> ${log}\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  tool('tc', `case "$*" in
  *"qdisc show"*) [ -f ${dir}/qdisc ] && echo "qdisc netem 8001: root refcnt 2 limit 1000 delay 200ms"; exit 0 ;;
  *"qdisc replace dev eth0 root"*) touch ${dir}/qdisc ;;
  *"qdisc del dev eth0 root"*) [ -f ${dir}/qdisc ] || exit 2; rm -f ${dir}/qdisc ;;
esac
exit 0`);
  tool('ip', `case "$*" in
  *"route show default"*) echo "default via 10.244.0.1 dev eth0" ;;
  *"link show"*) [ -f ${dir}/ifb ] || exit 1 ;;
  *"link add"*) touch ${dir}/ifb ;;
  *"link del"*) rm -f ${dir}/ifb ;;
esac
exit 0`);
  tool('iptables', `case "$*" in
  *"-S INPUT"*) [ -f ${dir}/rule ] && echo "-A INPUT -p tcp -m statistic --mode random --probability 0.2000 -m comment --comment faultline -j REJECT --reject-with tcp-reset"; exit 0 ;;
  *"-I INPUT"*) touch ${dir}/rule ;;
  *"-D INPUT"*) rm -f ${dir}/rule ;;
esac
exit 0`);
  return { dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function run(script: string, dir: string, env: Record<string, string>, ms = 10_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(SHELL[0]!, [...SHELL.slice(1), '-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, ...env } });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (out += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const secs = (fromNow: number) => String(Math.floor(Date.now() / 1000) + fromNow);
const latency: Impairment = { kind: 'latency', delayMs: 200, jitterMs: 0, direction: 'from' };

describe('helper scripts', () => {
  it('hold an impairment until a restore helper removes it, then exit cleanly', async () => {
    const { dir, calls } = fakeTools();
    const held = run(impairScript(latency), dir, { FAULTLINE_START_BY: secs(60), FAULTLINE_DEADLINE: secs(60) });
    const start = Date.now();
    while (!existsSync(join(dir, 'qdisc')) && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(join(dir, 'qdisc'))).toBe(true);
    expect(calls()).toContain('tc qdisc replace dev eth0 root netem delay 200ms');
    const restored = await run(restoreScript(), dir, {});
    expect(restored.code).toBe(0);
    const r = await held;
    expect(r.code).toBe(0);
    expect(r.out).toContain('faultline: impairment applied');
    expect(existsSync(join(dir, 'qdisc'))).toBe(false);
  });

  it('lift the impairment by themselves at the deadline', async () => {
    const { dir } = fakeTools();
    const r = await run(impairScript(latency), dir, { FAULTLINE_START_BY: secs(60), FAULTLINE_DEADLINE: secs(1) });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'qdisc'))).toBe(false);
  });

  it('do nothing when started after FAULTLINE_START_BY', async () => {
    const { dir, calls } = fakeTools();
    for (const script of [impairScript(latency), killScript('SIGKILL')]) {
      const r = await run(script, dir, { FAULTLINE_START_BY: secs(-5), FAULTLINE_DEADLINE: secs(60) });
      expect(r.code).toBe(0);
      expect(r.out).toContain('nothing done');
    }
    expect(calls()).toEqual([]);
  });

  it('ingress shaping goes through an ifb device; a reset-mode loss through iptables; restore removes both', async () => {
    const { dir, calls } = fakeTools();
    const both: Impairment = { kind: 'bandwidth', bytesPerSecond: 125_000, direction: 'to' };
    const loss: Impairment = { kind: 'loss', percent: 20, mode: 'reset' };
    const env = { FAULTLINE_START_BY: secs(60), FAULTLINE_DEADLINE: secs(1) };
    await run(impairScript(both), dir, env);
    expect(calls()).toEqual(expect.arrayContaining(['ip link add faultline0 type ifb', 'tc qdisc replace dev faultline0 root tbf rate 1000000bit burst 32kbit latency 400ms']));
    await run(impairScript(loss), dir, env);
    expect(calls()).toEqual(expect.arrayContaining([expect.stringMatching(/^iptables -I INPUT -p tcp -m statistic --mode random --probability 0\.2000 .*tcp-reset$/)]));
    expect(existsSync(join(dir, 'rule'))).toBe(false);
    expect((await run(restoreScript(), dir, {})).code).toBe(0);
  });
});
