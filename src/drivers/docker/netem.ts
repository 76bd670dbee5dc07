// Does this kernel have the netem qdisc? Asked once per driver, in a scratch namespace so nothing
// real is touched: nsenter mode uses `unshare -n` on the host, helper mode a container with no network.
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import { runHostCommand } from '../host-command.js';
import { HELPER_LABEL, RUN_ID_LABEL } from './labels.js';
import { runnerLabel } from './unstarted-helpers.js';

export interface NetemSupport {
  /** true/false once probed, undefined before. */
  known(): boolean | undefined;
  available(ctx: RunContext): Promise<boolean>;
}

export class NetemProbe implements NetemSupport {
  private result: boolean | undefined;
  private pending: Promise<boolean> | undefined;

  constructor(private readonly probe: () => Promise<boolean>) {}

  known(): boolean | undefined {
    return this.result;
  }

  available(_ctx?: RunContext): Promise<boolean> {
    this.pending ??= this.probe().then(
      (r) => (this.result = r),
      () => (this.result = false),
    );
    return this.pending;
  }
}

const NETEM_TRIAL = ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'];

export async function netemOnHost(): Promise<boolean> {
  const r = await runHostCommand(['unshare', '-n', ...NETEM_TRIAL]);
  return r.code === 0;
}

export async function netemInHelper(docker: Dockerode, image: string, runId: string): Promise<boolean> {
  const c = await docker.createContainer({
    Image: image,
    Cmd: NETEM_TRIAL,
    Labels: { [HELPER_LABEL]: '1', [RUN_ID_LABEL]: runId, ...runnerLabel() },
    HostConfig: { NetworkMode: 'none', CapAdd: ['NET_ADMIN'] },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    return StatusCode === 0;
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}
