// The in-process TCP fault proxy: named links, each forwarding accepted connections to an upstream,
// with impairments applied and removed at runtime, including on connections already open.
import { InvalidInputError } from '../domain/errors.js';
import { BufferPool } from './buffer-pool.js';
import { Link } from './link.js';
import { validateImpairment } from './shaping.js';
import { Spinner } from './spinner.js';
import type { ActiveImpairment, Endpoint, LinkImpairment, LinkStats, ProxyClock } from './types.js';

export interface FaultProxyOptions {
  /** Uniform [0, 1); drives jitter and loss decisions, so a seeded run repeats. */
  rng: () => number;
  /** Defaults to the monotonic performance clock. */
  clock?: ProxyClock;
}

const monotonic: ProxyClock = { now: () => performance.now() };

export class FaultProxy {
  private readonly links = new Map<string, Link>();
  private readonly applied = new Map<string, ActiveImpairment>();
  private readonly rng: () => number;
  private readonly clock: ProxyClock;
  private readonly spinner: Spinner;
  private readonly pool = new BufferPool();
  private nextId = 1;
  private closed = false;

  constructor(opts: FaultProxyOptions) {
    this.rng = opts.rng;
    this.clock = opts.clock ?? monotonic;
    this.spinner = new Spinner(this.clock);
  }

  /**
   * Starts listening and resolves with the bound address (with port 0, where the OS put it).
   * Typed `Endpoint & void` so that ports declaring `Promise<void>` accept this class while callers
   * that want the address still get it typed.
   */
  async addLink(name: string, listen: Endpoint, upstream: Endpoint): Promise<Endpoint & void> {
    if (this.closed) throw new InvalidInputError('the fault proxy is closed');
    if (this.links.has(name)) throw new InvalidInputError(`link "${name}" already exists`);
    const link = new Link(name, listen, upstream, { rng: this.rng, clock: this.clock, spinner: this.spinner, pool: this.pool });
    this.links.set(name, link);
    try {
      await link.listen();
      return link.address() as Endpoint & void;
    } catch (err) {
      this.links.delete(name);
      throw err;
    }
  }

  /** The bound listen address of a link. */
  address(link: string): Endpoint {
    return this.link(link).address();
  }

  /** Applies an impairment to a link, on open and future connections alike; returns its id for `remove`. */
  impair(link: string, impairment: LinkImpairment): string {
    const target = this.link(link);
    validateImpairment(impairment);
    const copy = { ...impairment };
    const id = `${link}/${impairment.kind}/${this.nextId++}`;
    this.applied.set(id, { id, link, impairment: copy });
    target.impair(id, copy);
    return id;
  }

  /** Idempotent: false when the id is unknown or already removed. */
  remove(id: string): boolean {
    const entry = this.applied.get(id);
    if (!entry) return false;
    this.applied.delete(id);
    this.links.get(entry.link)?.remove(id);
    return true;
  }

  removeAll(): void {
    for (const id of [...this.applied.keys()]) this.remove(id);
  }

  active(): ActiveImpairment[] {
    return [...this.applied.values()].map((a) => ({ ...a, impairment: { ...a.impairment } }));
  }

  stats(link: string): LinkStats {
    return this.link(link).stats();
  }

  /** Closes every listener and connection; resolves when all sockets are closed. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.applied.clear();
    await Promise.all([...this.links.values()].map((l) => l.close()));
  }

  private link(name: string): Link {
    const link = this.links.get(name);
    if (!link) throw new InvalidInputError(`unknown link "${name}"`);
    return link;
  }
}
