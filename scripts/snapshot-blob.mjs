// Builds dist/snapshot/faultline.blob, the start-up snapshot, from dist/snapshot/faultline.cjs with the
// Node that runs this script, and the stamp bin/start.sh compares before starting from it: a snapshot
// only loads in the Node binary that built it, and must not outlive the build of dist/ it was made of.
// Run by scripts/build-snapshot.mjs; at install (package.json "postinstall", when npm runs it); and by
// bin/start.sh, in the background, when there is none for this Node. Outside the build, a failure
// only means faultline starts without it (slower, same behaviour): never an error, and not retried
// for the same Node and build (faultline.blob.failed).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What bin/start.sh computes with readlink and stat: Node's path, then size and mtime (s) of Node and of dist/cli/main.js. */
export function stampFor(root, node = process.execPath) {
  const line = (p) => {
    const s = statSync(p);
    return `${s.size} ${Math.floor(s.mtimeMs / 1000)}`;
  };
  return `${realpathSync(node)}\n${line(node)}\n${line(join(root, 'dist/cli/main.js'))}`;
}

/** A hash of every module of dist/ the bundle is made from (not dist/snapshot/ itself). */
export function sourcesHash(root) {
  const dist = join(root, 'dist');
  const hash = createHash('sha256');
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && !f.startsWith('snapshot')).sort();
  for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(dist, f))).update('\0');
  return hash.digest('hex');
}

/** Builds the snapshot and its stamp; { ok: false, message } when Node refuses to. */
export function buildBlob(root) {
  const dir = join(root, 'dist/snapshot');
  const bundle = join(dir, 'faultline.cjs');
  const blob = join(dir, 'faultline.blob');
  const stamp = `${blob}.stamp`;
  if (!existsSync(bundle)) return { ok: false, message: `${bundle} is missing (npm run build makes it)` };
  // dist/ rebuilt without the bundle (tsc alone): a snapshot of the old bundle, stamped with the new
  // dist/, would run code that is no longer there. The bundle records a hash of the dist/ it was
  // made from (mtimes do not survive a copy or an npm install, contents do).
  const recorded = existsSync(`${bundle}.sources`) ? readFileSync(`${bundle}.sources`, 'utf8').trim() : '';
  if (recorded !== sourcesHash(root)) return { ok: false, message: `${bundle} was not made from this build of dist/: dist/ was rebuilt without it (npm run build makes both)` };
  rmSync(stamp, { force: true });
  const partial = `${blob}.${process.pid}.partial`;
  // The builder warns about built-in modules it has not verified (child_process, net...): the
  // snapshot does not keep anything of theirs that matters (docs/start-up.md), so the warnings are noise.
  const r = spawnSync(process.execPath, ['--no-warnings', '--snapshot-blob', partial, '--build-snapshot', bundle], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 || !existsSync(partial)) {
    rmSync(partial, { force: true });
    const output = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(0, 30).join('\n');
    return { ok: false, message: `node --build-snapshot exited ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}:\n${output}` };
  }
  renameSync(partial, blob);
  writeFileSync(stamp, `${stampFor(root)}\n`);
  rmSync(join(dir, 'faultline.blob.failed'), { force: true });
  return { ok: true };
}

/** One build at a time (several commands may start at once); a lock older than 5 minutes is a dead build's. */
function locked(lock, work) {
  try {
    closeSync(openSync(lock, 'wx'));
  } catch {
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs < 5 * 60_000) return;
    writeFileSync(lock, '');
  }
  try {
    work();
  } finally {
    rmSync(lock, { force: true });
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = join(root, 'dist/snapshot');
  if (existsSync(join(dir, 'faultline.cjs'))) {
    const failed = join(dir, 'faultline.blob.failed');
    const stamp = stampFor(root);
    const triedAndFailed = existsSync(failed) && readFileSync(failed, 'utf8').startsWith(`${stamp}\n`);
    if (!triedAndFailed) {
      locked(join(dir, 'faultline.blob.lock'), () => {
        const r = buildBlob(root);
        if (!r.ok) {
          writeFileSync(failed, `${stamp}\n${r.message}\n`);
          console.error(`faultline: no start-up snapshot (commands start slower, and work the same): ${r.message.split('\n')[0]}`);
        }
      });
    }
  }
}
