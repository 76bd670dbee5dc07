// A real PostgreSQL (Debian's packages) for workload tests: initdb into a temporary directory and
// pg_ctl start on a free port, as the postgres user when run as root (the server refuses root).
// `stop` stops it immediately and removes the directory.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface PostgresServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

const BIN = '/usr/lib/postgresql';

function pgBin(program: string): string {
  if (existsSync(BIN)) {
    const version = readdirSync(BIN).sort().at(-1);
    if (version) return path.join(BIN, version, 'bin', program);
  }
  return program;
}

function asOwner(argv: string[]): void {
  const root = userInfo().uid === 0;
  const [file, ...args] = root ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
  execFileSync(file!, args, { stdio: 'pipe', timeout: 60_000 });
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-pg-'));
  const data = path.join(dir, 'data');
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  asOwner([pgBin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const stop = async () => {
    try {
      asOwner([pgBin('pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not running.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asOwner([pgBin('pg_ctl'), '-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
