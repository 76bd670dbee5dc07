// dockerode without the parts faultline never calls on its way to a fault. Its entry requires
// BuildKit's session support (@grpc/grpc-js, protobufjs) and docker-modem requires its SSH transport
// (ssh2) as they load: measured here, `require('dockerode')` costs ~215 ms of CPU over Node's start,
// ~55 ms without those two, and every Docker run paid it before its first fault. They are put in
// the require cache as stand-ins that load the real module on first call, so an image build with a
// session or an ssh:// engine (a library user's own client) still works; it just costs only then.
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Dockerode from 'dockerode';

const require = createRequire(import.meta.url);

/** A stand-in for a module whose export is one function, loading the real one on first call. */
function deferCall(file: string): void {
  if (require.cache[file]) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = function deferred(this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      if (require.cache[file] === standIn) delete require.cache[file];
      real = require(file) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  require.cache[file] = standIn;
}

let loaded: typeof Dockerode | undefined;

/** The Dockerode class, loaded once, with BuildKit sessions and SSH deferred to first use. */
export function loadDockerode(): typeof Dockerode {
  if (loaded) return loaded;
  const dockerodeDir = dirname(require.resolve('dockerode/package.json'));
  const modemDir = dirname(createRequire(join(dockerodeDir, 'package.json')).resolve('docker-modem/package.json'));
  deferCall(join(dockerodeDir, 'lib/session.js'));
  deferCall(join(modemDir, 'lib/ssh.js'));
  loaded = require('dockerode') as typeof Dockerode;
  return loaded;
}
