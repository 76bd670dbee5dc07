// Running a command inside a container's network namespace. As root on the Docker host, nsenter is
// a plain fork+exec; anywhere else a short-lived helper container shares the target's namespace
// (NetworkMode container:<id>) with NET_ADMIN and runs the command from its own image.
import { readlink } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { EnvironmentError } from '../../domain/errors.js';
import { isNotFound, statusOf } from './errors.js';
import type { CommandResult } from '../../domain/command.js';
import { runHostCommand } from '../host-command.js';
import { HELPER_LABEL, RUN_ID_LABEL } from './labels.js';
import { runnerLabel } from './unstarted-helpers.js';

export interface NsRef {
  id: string;
  name: string;
  pid: number;
}

export interface NetnsAccess {
  readonly mode: 'nsenter' | 'helper';
  run(ref: NsRef, argv: readonly string[], input?: string): Promise<CommandResult>;
  /** The namespace's identity ("net:[4026532...]") when it can be read cheaply, to notice a restarted target. */
  identity(ref: NsRef): Promise<string | undefined>;
  /** Many commands in many namespaces at once, exit codes only (a failure is retried one by one). */
  runMany?(jobs: readonly { ref: NsRef; argv: readonly string[]; input: string }[]): Promise<number[]>;
}

export class NsenterAccess implements NetnsAccess {
  readonly mode = 'nsenter' as const;

  run(ref: NsRef, argv: readonly string[], input?: string): Promise<CommandResult> {
    return runHostCommand(['nsenter', '-t', String(ref.pid), '-n', ...argv], input === undefined ? {} : { input });
  }

  async identity(ref: NsRef): Promise<string | undefined> {
    try {
      return await readlink(`/proc/${ref.pid}/ns/net`);
    } catch {
      return undefined;
    }
  }

  /**
   * One shell forks every nsenter in parallel: spawning fifty processes from Node costs more than
   * the fifty iptables-restores themselves.
   */
  async runMany(jobs: readonly { ref: NsRef; argv: readonly string[]; input: string }[]): Promise<number[]> {
    let script = '';
    jobs.forEach((j, i) => {
      const marker = `FL_INPUT_${i}_END`;
      if (j.input.includes(marker)) throw new Error('input contains the here-document marker');
      script += `( nsenter -t ${Number(j.ref.pid)} -n ${j.argv.map(shellQuote).join(' ')} >/dev/null 2>&1 <<'${marker}'\n${j.input}${j.input.endsWith('\n') ? '' : '\n'}${marker}\necho "rc ${i} $?" ) &\n`;
    });
    script += 'wait\n';
    const r = await runHostCommand(['sh', '-s'], { input: script });
    const codes = jobs.map(() => -1);
    for (const m of r.stdout.matchAll(/^rc (\d+) (\d+)$/gm)) codes[Number(m[1])] = Number(m[2]);
    return codes;
  }
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export class HelperAccess implements NetnsAccess {
  readonly mode = 'helper' as const;

  constructor(
    private readonly docker: Dockerode,
    readonly image: string,
    private readonly runId: () => string,
  ) {}

  async run(ref: NsRef, argv: readonly string[], input?: string): Promise<CommandResult> {
    // stdin travels as an environment variable: attaching stdin to a short-lived container costs a
    // hijacked connection and a race with its exit.
    const cmd = input === undefined ? [...argv] : ['sh', '-c', 'printf %s "$FL_STDIN" | "$0" "$@"', ...argv];
    const container = await this.docker.createContainer({
      Image: this.image,
      Cmd: cmd,
      Env: input === undefined ? [] : [`FL_STDIN=${input}`],
      Labels: { [HELPER_LABEL]: '1', [RUN_ID_LABEL]: this.runId(), 'faultline.helper-for': ref.id, ...runnerLabel() },
      HostConfig: { NetworkMode: `container:${ref.id}`, CapAdd: ['NET_ADMIN', 'NET_RAW'], AutoRemove: false },
    });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as Buffer;
      const { stdout, stderr } = demux(logs);
      return { code: StatusCode, stdout, stderr };
    } finally {
      await container.remove({ force: true }).catch((err: unknown) => {
        if (!isNotFound(err) && statusOf(err) !== 409) throw err;
      });
    }
  }

  async identity(): Promise<string | undefined> {
    return undefined;
  }
}

/** Docker's multiplexed log format: 8-byte frames (stream, 0, 0, 0, size32be) then payload. */
function demux(buf: Buffer): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    const chunk = buf.subarray(i + 8, i + 8 + size).toString('utf8');
    if (buf[i] === 2) stderr += chunk;
    else stdout += chunk;
    i += 8 + size;
  }
  return { stdout, stderr };
}

export interface NetnsChoice {
  setting: 'auto' | 'nsenter' | 'helper';
  root: boolean;
  localEngine: boolean;
  helperImage: string;
  helperImagePresent: boolean;
}

/** Decides how namespaces are entered, or explains in one sentence why none can be. */
export function chooseNetns(c: NetnsChoice): 'nsenter' | 'helper' {
  const nsenterOk = c.root && c.localEngine;
  const whyNot = !c.root ? 'faultline is not running as root (nsenter needs root)' : 'the Docker engine is not on this machine (nsenter needs its pids)';
  const helperMissing = `the helper image ${c.helperImage} is not present on the engine (\`faultline images --pull\` gets it, \`faultline images --build-from-host\` builds one from this machine's binaries, or name one with iptables and tc in spec.docker.helperImage or FAULTLINE_DOCKER_HELPER_IMAGE)`;
  if (c.setting === 'nsenter') {
    if (!nsenterOk) throw new EnvironmentError(`docker.netns is "nsenter" but ${whyNot}`);
    return 'nsenter';
  }
  if (c.setting === 'helper') {
    if (!c.helperImagePresent) throw new EnvironmentError(`docker.netns is "helper" but ${helperMissing}`);
    return 'helper';
  }
  if (nsenterOk) return 'nsenter';
  if (c.helperImagePresent) return 'helper';
  throw new EnvironmentError(`cannot enter container network namespaces: ${whyNot}, and ${helperMissing}`);
}
