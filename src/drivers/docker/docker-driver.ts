// The Docker driver: the port implemented over a Dockerode client handed in by the caller.
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { Experiment, ProbeSpec, SelectorSpec, WhereSpec } from '../../domain/experiment.js';
import { EnvironmentError } from '../../domain/errors.js';
import { faultKind } from '../../domain/fault-kinds/fault-names.js';
import type { CheckResult, JsonValue, Target } from '../../domain/model.js';
import type { FaultKind } from '../../domain/fault-kinds/catalog.js';
import type { Driver, ProbeRunner } from '../driver.js';
import { bindFaults, faultOf, type DriverFaults } from '../fault-handler.js';
import { findProgram } from '../host-command.js';
import { DOCKER_FAULTS } from './faults/index.js';
import { DEFAULT_SOCKET, pingEngine } from './connect.js';
import { Holders, type HolderImages } from './holder.js';
import { pullImage } from './pull-image.js';
import { chooseImages, DEFAULT_TOOLS_IMAGE, hostBuiltStandIn, howToGet, imagePresent, pullFailure, type DockerImages } from './images.js';
import { DockerLifecycle } from './lifecycle.js';
import { NetemProbe, netemInHelper, netemOnHost } from './netem.js';
import { DockerNetwork } from './network.js';
import { HelperAccess, NsenterAccess, chooseNetns, type NetnsAccess } from './netns.js';
import { dockerProbe } from './probes.js';
import { findCandidates } from './select.js';
import { ownContainerId } from './self.js';
import { fireHolders, sweepRun } from './sweep.js';
import { whereCheck } from './where.js';

export const DEFAULT_HELPER_IMAGE = DEFAULT_TOOLS_IMAGE;
export const DEFAULT_HOLDER_IMAGE = DEFAULT_TOOLS_IMAGE;

export interface DockerDriverOptions {
  /** Where the client points, for messages ("unix:///var/run/docker.sock (default)"). */
  where?: string;
  /** Whether the engine runs on this machine (its pids can be nsentered). Default true. */
  localEngine?: boolean;
  netns?: 'auto' | 'nsenter' | 'helper';
  /**
   * Image of the helper containers that enter network namespaces and of network faults' holders
   * (needs sh, iptables and tc). Default: spec.docker.helperImage, else FAULTLINE_DOCKER_HELPER_IMAGE,
   * else DEFAULT_HELPER_IMAGE.
   */
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
  /**
   * Image of the holders that end pause, stop, cpu and switch-outage faults through the engine API
   * (needs sh and curl). Default: spec.docker.holderImage, else FAULTLINE_DOCKER_HOLDER_IMAGE, else
   * DEFAULT_HOLDER_IMAGE.
   */
  holderImage?: string;
  /** Where FAULTLINE_DOCKER_*_IMAGE are read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The engine's socket on the engine's host, mounted into those holders. Default /var/run/docker.sock. */
  engineSocket?: string;
  /** false: start no holders (faults then end only by revert or rollback). Default true. */
  holders?: boolean;
}

export class DockerDriver implements Driver {
  readonly name = 'docker' as const;
  readonly lifecycle: DockerLifecycle;
  readonly network: DockerNetwork;
  readonly faults: DriverFaults = bindFaults('docker', DOCKER_FAULTS, this);
  private readonly opts: Required<Pick<DockerDriverOptions, 'where' | 'localEngine' | 'netns'>> & DockerDriverOptions;
  private images: DockerImages;
  private readonly selfId: string | undefined;
  private runId = 'norun';
  private accessChoice: Promise<NetnsAccess> | undefined;
  private chosenMode: string | undefined;
  private readonly netem: NetemProbe;
  private readonly holders: Holders | undefined;

  constructor(
    readonly docker: Dockerode,
    options: DockerDriverOptions = {},
  ) {
    this.opts = {
      where: 'the configured Docker engine',
      localEngine: true,
      netns: 'auto',
      ...options,
    };
    this.images = chooseImages({ holderImage: options.holderImage, helperImage: options.helperImage, holderFrom: 'the driver option holderImage', helperFrom: 'the driver option helperImage' }, options.env);
    this.selfId = options.selfId ?? ownContainerId();
    this.holders =
      options.holders === false
        ? undefined
        : new Holders(docker, {
            images: () => this.holderFacts().images,
            engineSocket: options.engineSocket ?? DEFAULT_SOCKET,
          });
    this.netem = new NetemProbe(async () => ((await this.access()).mode === 'nsenter' ? netemOnHost() : netemInHelper(docker, this.images.helper.image, this.runId)));
    this.network = new DockerNetwork({
      docker,
      access: () => this.access(),
      accessMode: () => this.chosenMode ?? `${this.opts.netns === 'auto' ? 'nsenter as root, else a helper container' : this.opts.netns}`,
      netem: this.netem,
      selfId: this.selfId,
      ...(this.holders ? { holders: this.holders } : {}),
    });
    const root = options.root ?? process.getuid?.() === 0;
    const kill = options.kill ?? 'auto';
    this.lifecycle = new DockerLifecycle(docker, () => kill === 'signal' || (kill === 'auto' && root && this.opts.localEngine), this.holders);
  }

  /** How namespaces are entered: decided once, on first need. */
  access(): Promise<NetnsAccess> {
    this.accessChoice ??= (async () => {
      const root = this.opts.root ?? process.getuid?.() === 0;
      const nsenterPresent = findProgram('nsenter', process.cwd()) !== undefined;
      const helperImage = this.images.helper.image;
      const helperImagePresent = await imagePresent(this.docker, helperImage);
      const mode = chooseNetns({
        setting: this.opts.netns,
        root: root && nsenterPresent,
        localEngine: this.opts.localEngine,
        helperImage,
        helperImagePresent,
      });
      this.chosenMode = mode === 'nsenter' ? 'nsenter' : `a helper container (${helperImage})`;
      return mode === 'nsenter' ? new NsenterAccess() : new HelperAccess(this.docker, helperImage, () => this.runId);
    })();
    this.accessChoice.catch(() => (this.accessChoice = undefined));
    return this.accessChoice;
  }

  /** A held fault is only injected with its holder: an image not on the engine is pulled, or the run stops here saying how to get it. */
  private async ensureHolderImage(choice: { image: string; from: string }, role: 'holder' | 'helper', needs: string, ctx: RunContext): Promise<void> {
    if (await imagePresent(this.docker, choice.image)) return;
    const standIn = choice.from === 'default' ? await hostBuiltStandIn(this.docker) : undefined;
    if (standIn) {
      ctx.log.info(`the default ${role} image ${choice.image} is not on the engine: using ${standIn}, built there by \`faultline images --build-from-host\``);
      choice.image = standIn;
      choice.from = 'faultline images --build-from-host';
      return;
    }
    ctx.log.info(`pulling the ${role} image ${choice.image} (first use on this engine)`);
    try {
      await pullImage(this.docker, choice.image, (line) => ctx.log.info(line));
    } catch (err) {
      throw new EnvironmentError(
        `the ${role} image ${choice.image} (${choice.from === 'default' ? 'the default' : `set by ${choice.from}`}) is not present on the engine and pulling it failed: ` +
          `${pullFailure(err instanceof Error ? err.message : String(err))}. ` +
          `Every held Docker fault gets a holder container that ends it on time if faultline dies (this one needs ${needs}), so nothing was injected. ` +
          howToGet(choice.image, role),
      );
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
    if (settings?.helperImage) this.images.helper = { image: settings.helperImage, from: 'spec.docker.helperImage' };
    if (settings?.holderImage) this.images.holder = { image: settings.holderImage, from: 'spec.docker.holderImage' };
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
    const kinds = experiment.spec.faults.map(faultKind);
    // A kind held in a network namespace is one that enters namespaces.
    const inNetns = (k: (typeof kinds)[number]) => DOCKER_FAULTS[k]?.holder?.image === 'netns';
    // Decide before anything is touched, so "cannot enter namespaces" stops the run up front, and
    // so `plan` can say whether latency uses netem or the delaying proxy.
    if (kinds.some(inNetns)) await this.access();
    if (kinds.includes('latency')) await this.netem.available(ctx);
    // A held fault is only injected with its holder, so a missing image stops the run here.
    if (this.holders) {
      const held = experiment.spec.faults.filter((f) => f.for !== undefined).map(faultKind);
      const engineHeld = held.some((k) => DOCKER_FAULTS[k]?.holder?.image === 'engine');
      if (engineHeld) {
        await this.ensureHolderImage(this.images.holder, 'holder', 'sh and curl', ctx);
        // Started now, it runs by the first injection unless the run has no steady state to hide it in.
        this.holders.prepare(ctx);
      }
      // One image may serve both: pulled (or refused) once.
      if (held.some(inNetns) && !(engineHeld && this.images.helper.image === this.images.holder.image)) await this.ensureHolderImage(this.images.helper, 'helper', 'sh, iptables and tc', ctx);
    }
  }

  candidates(selector: SelectorSpec, group: string, _ctx: RunContext): Promise<Target[]> {
    return findCandidates(this.docker, selector, group, this.selfId);
  }

  where(where: WhereSpec, target: Target, ctx: RunContext): Promise<CheckResult> {
    return whereCheck(this.docker, where, target, ctx);
  }

  probe(name: string, spec: ProbeSpec, targets: ReadonlyMap<string, Target[]>): ProbeRunner | undefined {
    return dockerProbe(this.docker, name, spec, targets);
  }

  /**
   * Removes what run `runId` left: first each holder's fault is ended from the undo record the
   * holder carries (the ledger may never have got it), then its other helper containers and its
   * FL- chains in every running container.
   */
  async sweep(runId: string, ctx: RunContext): Promise<string[]> {
    let failure: unknown;
    // A holder is labelled with its fault's kind: its handler's revert replays the undo it carries.
    const replay = (kind: FaultKind, target: Target, undo: JsonValue) => faultOf(this.faults, 'docker', kind).revert(target, undo, { ...ctx, runId });
    const fired = await fireHolders(this.docker, runId, replay, (ref, kind, target) => this.holders?.reverted(ref, kind, target) ?? false).catch((e: unknown) => {
      failure = e;
      return [] as string[];
    });
    const swept = await sweepRun(this.docker, () => this.access(), runId);
    if (failure) throw failure;
    return [...fired, ...swept];
  }

  /** What the expiry texts of `plan` need: the holder images, and whether holders are started at all. */
  holderFacts(): { images: HolderImages; holders: boolean } {
    return { images: { netns: this.images.helper.image, engine: this.images.holder.image }, holders: this.holders !== undefined };
  }

  async close(ctx: RunContext): Promise<void> {
    await this.network.close().catch(() => undefined);
    await this.holders?.close(ctx).catch((e: unknown) => ctx.log.warn(`removing the run's engine holder: ${e instanceof Error ? e.message : String(e)}`));
  }
}
