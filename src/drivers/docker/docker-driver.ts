// The Docker driver: the port implemented over a Dockerode client handed in by the caller.
import { access as fsAccess } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { Experiment, ProbeSpec, SelectorSpec, WhereSpec } from '../../domain/experiment.js';
import type { Sample, Target } from '../../domain/model.js';
import type { Driver, ProbeRunner } from '../driver.js';
import { pingEngine } from './connect.js';
import { isNotFound } from './errors.js';
import { DockerLifecycle } from './lifecycle.js';
import { NetemProbe, netemInHelper, netemOnHost } from './netem.js';
import { DockerNetwork } from './network.js';
import { HelperAccess, NsenterAccess, chooseNetns, type NetnsAccess } from './netns.js';
import { dockerProbe } from './probes.js';
import { findCandidates } from './select.js';
import { ownContainerId } from './self.js';
import { dockerExpiry, sweepRun } from './sweep.js';
import { whereCheck } from './where.js';

export const DEFAULT_HELPER_IMAGE = 'faultline-test/nettools:latest';

export interface DockerDriverOptions {
  /** Where the client points, for messages ("unix:///var/run/docker.sock (default)"). */
  where?: string;
  /** Whether the engine runs on this machine (its pids can be nsentered). Default true. */
  localEngine?: boolean;
  netns?: 'auto' | 'nsenter' | 'helper';
  helperImage?: string;
  /** Override "am I root" (tests of the no-permission path). */
  root?: boolean;
  /** faultline's own container id, never selected. Default: detected from /proc. */
  selfId?: string;
  /**
   * How kill delivers its signal. "signal" (default when root on the Docker host): straight to the
   * container's main process, a crash that its restart policy answers. "api": through the engine,
   * which Docker treats as a manual stop (restart policies ignore it).
   */
  kill?: 'auto' | 'signal' | 'api';
}

const NETWORK_FAULTS = new Set(['partition', 'latency', 'loss', 'bandwidth', 'dns', 'timeout']);

export class DockerDriver implements Driver {
  readonly name = 'docker' as const;
  readonly lifecycle: DockerLifecycle;
  readonly network: DockerNetwork;
  private readonly opts: Required<Pick<DockerDriverOptions, 'where' | 'localEngine' | 'netns' | 'helperImage'>> & DockerDriverOptions;
  private readonly selfId: string | undefined;
  private runId = 'norun';
  private accessChoice: Promise<NetnsAccess> | undefined;
  private chosenMode: string | undefined;
  private readonly netem: NetemProbe;

  constructor(
    readonly docker: Dockerode,
    options: DockerDriverOptions = {},
  ) {
    this.opts = {
      where: 'the configured Docker engine',
      localEngine: true,
      netns: 'auto',
      helperImage: DEFAULT_HELPER_IMAGE,
      ...options,
    };
    this.selfId = options.selfId ?? ownContainerId();
    this.netem = new NetemProbe(async () => ((await this.access()).mode === 'nsenter' ? netemOnHost() : netemInHelper(docker, this.opts.helperImage, this.runId)));
    this.network = new DockerNetwork({
      docker,
      access: () => this.access(),
      accessMode: () => this.chosenMode ?? `${this.opts.netns === 'auto' ? 'nsenter as root, else a helper container' : this.opts.netns}`,
      netem: this.netem,
      selfId: this.selfId,
    });
    const root = options.root ?? process.getuid?.() === 0;
    const kill = options.kill ?? 'auto';
    this.lifecycle = new DockerLifecycle(docker, () => kill === 'signal' || (kill === 'auto' && root && this.opts.localEngine));
  }

  /** How namespaces are entered: decided once, on first need. */
  access(): Promise<NetnsAccess> {
    this.accessChoice ??= (async () => {
      const root = this.opts.root ?? process.getuid?.() === 0;
      const nsenterPresent = await hasNsenter();
      const helperImagePresent = await this.imagePresent(this.opts.helperImage);
      const mode = chooseNetns({
        setting: this.opts.netns,
        root: root && nsenterPresent,
        localEngine: this.opts.localEngine,
        helperImage: this.opts.helperImage,
        helperImagePresent,
      });
      this.chosenMode = mode === 'nsenter' ? 'nsenter' : `a helper container (${this.opts.helperImage})`;
      return mode === 'nsenter' ? new NsenterAccess() : new HelperAccess(this.docker, this.opts.helperImage, () => this.runId);
    })();
    this.accessChoice.catch(() => (this.accessChoice = undefined));
    return this.accessChoice;
  }

  private async imagePresent(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Reads the experiment's docker settings. When it has a latency fault and faultline may use
   * nsenter, the one-off netem check (a qdisc on lo of a scratch namespace, nothing real touched)
   * starts here, so that `plan` can say which mechanism latency will use.
   */
  configure(experiment: Experiment): void {
    const settings = experiment.spec.docker;
    if (settings?.netns) this.opts.netns = settings.netns;
    if (settings?.helperImage) this.opts.helperImage = settings.helperImage;
    if (experiment.spec.faults.some((f) => 'latency' in f) && this.opts.netns !== 'helper') {
      void this.access().then(
        (a) => (a.mode === 'nsenter' ? this.netem.available() : undefined),
        () => undefined,
      );
    }
  }

  async open(experiment: Experiment, ctx: RunContext): Promise<void> {
    this.runId = ctx.runId;
    this.configure(experiment);
    await pingEngine(this.docker, this.opts.where);
    const kinds = experiment.spec.faults.map((f) => Object.keys(f).find((k) => !['name', 'at', 'for'].includes(k)));
    // Decide before anything is touched, so "cannot enter namespaces" stops the run up front, and
    // so `plan` can say whether latency uses netem or the delaying proxy.
    if (kinds.some((k) => k && NETWORK_FAULTS.has(k))) await this.access();
    if (kinds.includes('latency')) await this.netem.available(ctx);
  }

  candidates(selector: SelectorSpec, group: string, _ctx: RunContext): Promise<Target[]> {
    return findCandidates(this.docker, selector, group, this.selfId);
  }

  where(where: WhereSpec, target: Target, ctx: RunContext): Promise<Omit<Sample, 'probe'>> {
    return whereCheck(this.docker, where, target, ctx);
  }

  probe(name: string, spec: ProbeSpec, targets: ReadonlyMap<string, Target[]>): ProbeRunner | undefined {
    return dockerProbe(this.docker, name, spec, targets);
  }

  /** Removes what run `runId` left: its helper containers and its FL- chains in every running container. */
  sweep(runId: string, _ctx: RunContext): Promise<string[]> {
    return sweepRun(this.docker, () => this.access(), runId);
  }

  expiry(kind: string, _ttlMs: number): string {
    return dockerExpiry(kind);
  }

  async close(_ctx: RunContext): Promise<void> {
    await this.network.close().catch(() => undefined);
  }
}

async function hasNsenter(): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    try {
      await fsAccess(`${dir}/nsenter`);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}
