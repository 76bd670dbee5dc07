// An in-memory driver for unit-testing the engine's lifecycle rules (what is reverted when, which
// status a run ends with). Real drivers are tested against real processes and a real engine.
import type { RunContext } from '../../src/domain/context.js';
import type { SelectorSpec } from '../../src/domain/experiment.js';
import type { JsonValue, Target } from '../../src/domain/model.js';
import type { Driver, LifecycleActions, NetworkActions, ProbeRunner } from '../../src/drivers/driver.js';

export class FakeDriver implements Driver {
  readonly name = 'docker' as const;
  healthy = true;
  calls: string[] = [];
  failInjectOn = new Set<string>();
  failRevertOn = new Set<string>();
  closed = false;

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
    restore: async (t, undo) => {
      this.calls.push(`restore ${t.name} ${JSON.stringify(undo)}`);
      return {};
    },
  };

  async close(_ctx: RunContext): Promise<void> {
    this.closed = true;
  }
}
