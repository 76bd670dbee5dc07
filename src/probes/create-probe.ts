// Turns the experiment's probe definitions into samplers: the driver's own kinds first
// (docker-health, k8s-ready, exec inside a container), then the generic http/tcp/exec.
import { performance } from 'node:perf_hooks';
import type { RunContext } from '../domain/context.js';
import type { ProbeParams, ProbeSpec } from '../domain/experiment.js';
import type { Sample, Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import type { RunCommand } from './commands.js';
import { httpChecker } from './http.js';
import type { CheckResult, Probe } from './probe.js';
import { tcpCheck } from './tcp.js';

export interface ProbeDeps {
  driver: Driver;
  runCommand: RunCommand;
  targets: ReadonlyMap<string, Target[]>;
  cwd: string;
}

export function createProbe(name: string, spec: ProbeSpec, deps: ProbeDeps): Probe {
  const runner = deps.driver.probe?.(name, spec, deps.targets);
  const check: (ctx: RunContext) => Promise<CheckResult> = runner
    ? (ctx) => runner.sample(ctx)
    : genericCheck(spec, deps);
  return {
    name,
    every: spec.every,
    timeout: spec.timeout,
    async sample(ctx): Promise<Sample> {
      const t = ctx.clock.now();
      try {
        return { probe: name, t, ...(await check(ctx)) };
      } catch (e) {
        // A probe never throws for "unhealthy"; an unexpected error is still just a failed sample.
        return { probe: name, t, ok: false, ms: ctx.clock.now() - t, error: e instanceof Error ? e.message : String(e) };
      }
    },
    ...(runner?.close ? { close: () => runner.close!() } : {}),
  };
}

function genericCheck(spec: ProbeSpec, deps: ProbeDeps): (ctx: RunContext) => Promise<CheckResult> {
  if ('http' in spec) return httpChecker(spec.http, spec.timeout);
  if ('tcp' in spec) return () => tcpCheck(spec.tcp.address, spec.timeout);
  if ('exec' in spec) return () => execCheck(spec.exec, spec.timeout, deps);
  const kind = Object.keys(spec).find((k) => k !== 'every' && k !== 'timeout');
  throw new Error(`the ${deps.driver.name} driver has no "${kind}" probe`);
}

export async function execCheck(p: ProbeParams<'exec'>, timeoutMs: number, deps: Pick<ProbeDeps, 'runCommand' | 'cwd'>): Promise<CheckResult> {
  const start = performance.now();
  const r = await deps.runCommand(p.command, { timeoutMs, cwd: deps.cwd });
  const ms = performance.now() - start;
  if (r.error) return { ok: false, ms, error: r.error };
  if (r.code !== p.exitCode) return { ok: false, ms, error: `exit code ${r.code} (expected ${p.exitCode})${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}` };
  if (p.stdout !== undefined && !new RegExp(p.stdout, 'm').test(r.stdout)) return { ok: false, ms, error: `stdout does not match /${p.stdout}/` };
  return { ok: true, ms };
}
