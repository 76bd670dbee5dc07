// Turns the experiment's probe definitions into samplers: the driver's own kinds first
// (docker-health, k8s-ready, exec inside a container), then the generic http/tcp/exec.
import { performance } from 'node:perf_hooks';
import type { RunContext } from '../domain/context.js';
import type { ProbeParams, ProbeSpec } from '../domain/experiment.js';
import type { RunCommand } from '../domain/command.js';
import type { CheckResult, Sample, Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import { judgeExit } from '../checks/exec.js';
import { httpChecker } from '../checks/http.js';
import { tcpCheck } from '../checks/tcp.js';
import type { Probe } from './probe.js';

export interface ProbeDeps {
  driver: Driver;
  runCommand: RunCommand;
  targets: ReadonlyMap<string, Target[]>;
  cwd: string;
}

export function createProbe(name: string, spec: ProbeSpec, deps: ProbeDeps): Probe {
  const runner = deps.driver.probe?.(name, spec, deps.targets);
  const generic = runner ? undefined : genericCheck(spec, deps, `${deps.driver.name} driver`);
  const check: (ctx: RunContext) => Promise<CheckResult> = runner ? (ctx) => runner.sample(ctx) : generic!.check;
  return probeOf(name, spec, check, runner?.close ? () => runner.close!() : generic?.close);
}

/** A http, tcp or exec probe run from faultline's host, with no driver: what a scenario's wait polls between runs. */
export function hostProbe(name: string, spec: ProbeSpec, deps: Pick<ProbeDeps, 'runCommand' | 'cwd'>): Probe {
  const generic = genericCheck(spec, deps, 'host');
  return probeOf(name, spec, generic.check, generic.close);
}

function probeOf(name: string, spec: ProbeSpec, check: (ctx: RunContext) => Promise<CheckResult>, close?: () => Promise<void>): Probe {
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
    ...(close ? { close } : {}),
  };
}

interface GenericCheck {
  check(ctx: RunContext): Promise<CheckResult>;
  close?(): Promise<void>;
}

function genericCheck(spec: ProbeSpec, deps: Pick<ProbeDeps, 'runCommand' | 'cwd'>, who: string): GenericCheck {
  if ('http' in spec) return httpChecker(spec.http, spec.timeout);
  if ('tcp' in spec) return { check: () => tcpCheck(spec.tcp.address, spec.timeout) };
  if ('exec' in spec) return { check: () => hostExecCheck(spec.exec, spec.timeout, deps) };
  const kind = Object.keys(spec).find((k) => k !== 'every' && k !== 'timeout');
  throw new Error(`the ${who} has no "${kind}" probe`);
}

/** The generic exec probe: the command runs on faultline's host. */
export async function hostExecCheck(p: ProbeParams<'exec'>, timeoutMs: number, deps: Pick<ProbeDeps, 'runCommand' | 'cwd'>): Promise<CheckResult> {
  const start = performance.now();
  const r = await deps.runCommand(p.command, { timeoutMs, cwd: deps.cwd });
  return judgeExit(p, r, performance.now() - start);
}
