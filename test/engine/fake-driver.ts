// An in-memory driver for unit-testing the engine's lifecycle rules (what is reverted when, which
// status a run ends with). Real drivers are tested against real processes and a real engine.
import type { RunContext } from '../../src/domain/context.js';
import type { SelectorSpec } from '../../src/domain/experiment.js';
import type { JsonValue, Target } from '../../src/domain/model.js';
import type { Driver, LifecycleActions, NetworkActions, ProbeRunner } from '../../src/drivers/driver.js';
import { bindFaults, NOTHING_TO_REVERT, type FaultHandler } from '../../src/drivers/fault-handler.js';
import { impairmentOf } from '../../src/drivers/impairment.js';
import { z } from 'zod';

type Handler = FaultHandler<never, FakeDriver, JsonValue>;
const anyUndo = z.json();
const impairs = (kind: 'latency' | 'loss' | 'bandwidth' | 'timeout' | 'dns'): Handler => ({
  touches: [`network/${kind}`],
  undo: anyUndo,
  example: (t) => ({ rule: `${kind}-${t.name}` }),
  inject: (t, args, ctx, d) => d.network.impair(t, impairmentOf(kind, args as never), ctx),
  revert: (t, undo, ctx, d) => d.network.revert(t, undo, ctx),
  expiry: () => 'fake: ends with the test',
});

/** The fake's fault registry: each kind acts on its in-memory lifecycle and network. */
const FAKE_FAULTS: Record<string, Handler> = {
  pause: {
    touches: ['state'],
    undo: anyUndo,
    example: (t) => ({ action: 'unpause', target: t.id }),
    inject: async (t, _args, ctx, d) => {
      await d.lifecycle.pause(t, ctx);
      return { action: 'unpause', target: t.id };
    },
    revert: (t, _undo, ctx, d) => d.lifecycle.unpause(t, ctx),
    expiry: () => 'fake: ends with the test',
  },
  kill: {
    touches: ['state'],
    undo: anyUndo,
    example: () => null,
    inject: async (t, args, ctx, d) => {
      await d.lifecycle.kill(t, (args.params as { signal: string }).signal, ctx);
      return null;
    },
    revert: async () => NOTHING_TO_REVERT,
  },
  partition: {
    touches: ['network/partition'],
    undo: anyUndo,
    example: () => ({ peers: [] }),
    inject: (t, args, ctx, d) => {
      const p = args.params as { to: string; direction: 'to' | 'from' | 'both' };
      return d.network.partition(t, [...(args.groups.get(p.to) ?? [])], p.direction, ctx);
    },
    revert: (t, undo, ctx, d) => d.network.revert(t, undo, ctx),
    expiry: () => 'fake: ends with the test',
  },
  latency: impairs('latency'),
  loss: impairs('loss'),
  bandwidth: impairs('bandwidth'),
  timeout: impairs('timeout'),
  dns: impairs('dns'),
};

export class FakeDriver implements Driver {
  readonly name = 'docker' as const;
  healthy = true;
  calls: string[] = [];
  failInjectOn = new Set<string>();
  failRevertOn = new Set<string>();
  closed = false;
  readonly faults = bindFaults('docker', FAKE_FAULTS, this);

  async open(): Promise<void> {
    this.calls.push('open');
  }

  async candidates(selector: SelectorSpec, group: string): Promise<Target[]> {
    return (selector.names ?? []).map((n) => ({ driver: 'docker', group, id: n, name: n, meta: {} }));
  }

  probe(): ProbeRunner {
    return { sample: async () => ({ ok: this.healthy, ms: 1, ...(this.healthy ? {} : { error: 'unhealthy' }) }) };
  }

  private act(what: string, t: Target): void {
    this.calls.push(`${what} ${t.name}`);
    if (this.failInjectOn.has(`${what} ${t.name}`)) throw new Error(`cannot ${what} ${t.name}`);
  }

  readonly lifecycle: LifecycleActions = {
    kill: async (t) => {
      this.act('kill', t);
      this.healthy = false;
      setTimeout(() => (this.healthy = true), 150);
    },
    pause: async (t) => {
      this.act('pause', t);
      this.healthy = false;
    },
    unpause: async (t) => {
      this.calls.push(`unpause ${t.name}`);
      if (this.failRevertOn.has(`unpause ${t.name}`)) throw new Error('engine unreachable');
      this.healthy = true;
      return {};
    },
    restart: async (t) => this.act('restart', t),
    state: async () => 'running',
  };

  readonly network: NetworkActions = {
    describe: (t, imp) => `${imp.kind} on ${t.name}`,
    impair: async (t, imp): Promise<JsonValue> => {
      this.act(imp.kind, t);
      return { rule: `${imp.kind}-${t.name}` };
    },
    partition: async (t, peers): Promise<JsonValue> => {
      this.act('partition', t);
      return { peers: peers.map((p) => p.name) };
    },
    revert: async (t, undo) => {
      this.calls.push(`revert ${t.name} ${JSON.stringify(undo)}`);
      return {};
    },
  };

  async close(_ctx: RunContext): Promise<void> {
    this.closed = true;
  }
}
