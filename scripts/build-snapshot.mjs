// Builds faultline's start-up snapshot (docs/start-up.md), after `tsc`:
//   1. bundles dist/cli/snapshot-main.js, and what it reaches, into dist/snapshot/faultline.cjs: Node 20
//      builds a snapshot from one CommonJS script, whose `require` loads only Node's built-in modules;
//   2. builds the snapshot itself with this Node (scripts/snapshot-blob.mjs, which installs run too).
// A module that cannot be part of a snapshot (it opens a handle as it loads) fails step 2, loudly:
// that is a regression of every command's start, to be fixed where the module loads it.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBlob, sourcesHash } from './snapshot-blob.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Loaded from node_modules when first used, as they are without the snapshot: they are loaded only
// by runs that use them. All are CommonJS, so the bundle's require can load them. dockerode is in
// the snapshot (see dockerodeInSnapshot below).
// @kubernetes/client-node is ESM only, and a process started from a snapshot cannot import(): it is
// bundled apart, as CommonJS (kubernetes-client.cjs), and required from there by Kubernetes runs.
// Inside the snapshot it would be 2 of the bundle's 3.3 MB, mapped by every command.
const LOADED_AT_RUN_TIME = ['undici', 'ioredis', 'pg', 'prom-client', 'hdr-histogram-js', 'puppeteer-core', '@opentelemetry/*', '@kubernetes/client-node'];
const KUBERNETES_CLIENT = 'kubernetes-client.cjs';

// Inside the bundle, `require` of anything but a built-in module goes through a require made for
// the bundle's own location (the snapshot's `require` cannot load packages).
const REQUIRE_PACKAGES = `var require = ((builtin) => { let packages; return (id) => { try { return builtin(id); } catch (e) { if (id.startsWith('node:')) throw e; packages ??= builtin('node:module').createRequire(__filename); return packages(id === '@kubernetes/client-node' ? './${KUBERNETES_CLIENT}' : id); } }; })(require);`;

// Defined by the bundle's banner, where `require` is the bundle's own: a module may name a local
// `require` of its own (createRequire(import.meta.url)), which must not be the one called here.
const FILE_URL = '__faultlineFileUrl';

/**
 * Each module's import.meta.url becomes the address of the file it came from, found from the
 * bundle's own folder when it runs (or when the snapshot is made, on the machine that installed the
 * package), never this machine's path: the bundle is published.
 */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, async (a) => {
      const text = await readFile(a.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = relative(join(root, 'dist/snapshot'), a.path).split(sep).join('/');
      const url = `${FILE_URL}(${JSON.stringify(fromBundle)})`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

const fromRoot = createRequire(join(root, 'package.json'));
const dockerodeDir = dirname(fromRoot.resolve('dockerode/package.json'));
const modemDir = dirname(createRequire(join(dockerodeDir, 'package.json')).resolve('docker-modem/package.json'));
const modemDebug = createRequire(join(modemDir, 'package.json')).resolve('debug');

// The body of a stand-in, in the bundle, for a file of dockerode or docker-modem: `real()` requires
// the file from node_modules on first use, found from the bundle's own place then (an installed
// package's dependencies are not where they were at build time).
const realFile = (pkg, file) =>
  `const real = () => { const m = require('node:module'); const dockerode = m.createRequire(m.createRequire(__filename).resolve('dockerode/package.json')); ` +
  `return ${pkg === 'dockerode' ? 'dockerode' : "m.createRequire(dockerode.resolve('docker-modem/package.json'))"}(${JSON.stringify(file)}); };`;

/**
 * dockerode and docker-modem are evaluated into the snapshot (~40 ms of every Docker run's start
 * before they were), without what a snapshot cannot hold or a run never needs before a fault:
 * - drivers/docker/load-dockerode.js, which defers those parts through the require cache by file,
 *   becomes a static import of the bundled dockerode;
 * - dockerode's BuildKit session (@grpc/grpc-js, protobufjs) and docker-modem's SSH transport
 *   (ssh2) become stand-ins that load the real file on first call, as load-dockerode.js does;
 * - docker-modem's http.js loads node:http as it loads (which no heap can hold): it becomes a
 *   stand-in that loads the real file on first use;
 * - docker-modem formats every request with util.inspect for a debug line nobody enabled: only
 *   when its debug namespace is on (DEBUG=modem, read when a Docker run connects).
 */
const dockerodeInSnapshot = {
  name: 'dockerode-in-snapshot',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]drivers[\\/]docker[\\/]load-dockerode\.js$/ }, () => ({
      contents:
        `import Dockerode from 'dockerode'; import createDebug from ${JSON.stringify(modemDebug)};\n` +
        // The debug package read DEBUG when the snapshot was made; this run's DEBUG applies.
        `export function loadDockerode() { if (process.env.DEBUG) createDebug.enable(process.env.DEBUG); return Dockerode; }`,
      loader: 'js',
      resolveDir: root,
    }));
    // `call`: the module's export is one function; `object`: an object whose members are looked up.
    const standIns = [
      { dir: join(dockerodeDir, 'lib'), request: './session', pkg: 'dockerode', file: './lib/session.js', kind: 'call' },
      { dir: join(modemDir, 'lib'), request: './ssh', pkg: 'docker-modem', file: './lib/ssh.js', kind: 'call' },
      { dir: join(modemDir, 'lib'), request: './http', pkg: 'docker-modem', file: './lib/http.js', kind: 'object' },
    ];
    const exported = {
      call: 'let loaded; module.exports = function deferred(...args) { loaded ??= real(); return loaded.apply(this, args); };',
      object: 'let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= real())[key] });',
    };
    b.onResolve({ filter: /^\.\/(session|ssh|http)$/ }, (a) => {
      const s = standIns.find((x) => x.dir === a.resolveDir && x.request === a.path);
      return s && { path: `${s.pkg}/${s.file.slice(2)}`, namespace: 'stand-in', pluginData: s };
    });
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, ({ pluginData: s }) => ({ contents: `${realFile(s.pkg, s.file)} ${exported[s.kind]}`, loader: 'js' }));
    b.onLoad({ filter: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/ }, async (a) => {
      const text = await readFile(a.path, 'utf8');
      const eager = "debug('Sending: %s', util.inspect(";
      // A docker-modem that changed this line is bundled as it is: only slower, never wrong.
      if (!text.includes(eager)) console.warn(`build-snapshot: docker-modem's request debug line changed; left as it is`);
      return { contents: text.replace(eager, `if (debug.enabled) ${eager}`), loader: 'js' };
    });
  },
};

await build({
  stdin: { contents: "export * from '@kubernetes/client-node';", resolveDir: root, loader: 'js' },
  outfile: join(root, 'dist/snapshot', KUBERNETES_CLIENT),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  plugins: [importMetaUrl],
});

await build({
  entryPoints: [join(root, 'dist/cli/snapshot-main.js')],
  outfile: join(root, 'dist/snapshot/faultline.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: LOADED_AT_RUN_TIME,
  // Smaller source is a smaller snapshot to map at every start; names stay for stack traces.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  banner: { js: `${REQUIRE_PACKAGES}\nvar ${FILE_URL} = (p) => require('node:url').pathToFileURL(require('node:path').join(__dirname, p)).href;` },
  plugins: [
    {
      // esbuild keeps import('undici') of a package left outside the bundle as it is, and a process
      // started from a snapshot cannot import(): such an import becomes a require, through a module
      // of one line (whose require is the bundle's, which loads packages).
      name: 'dynamic-import-as-require',
      setup(b) {
        const outside = new RegExp(`^(${LOADED_AT_RUN_TIME.map((p) => p.replace(/[.]/g, '\\.').replace('*', '.*')).join('|')})$`);
        b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' && outside.test(a.path) ? { path: a.path, namespace: 'required-at-run-time' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'required-at-run-time' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: 'js', resolveDir: root }));
      },
    },
    dockerodeInSnapshot,
    // package.json beside dist/, the watchdog's script, node_modules: all resolve as unbundled.
    importMetaUrl,
  ],
});

// What the bundle was made from, for snapshot-blob.mjs (a snapshot is only made from a current bundle).
writeFileSync(join(root, 'dist/snapshot/faultline.cjs.sources'), `${sourcesHash(root)}\n`);
const result = buildBlob(root);
if (!result.ok) {
  console.error(`building the start-up snapshot failed:\n${result.message}`);
  process.exit(1);
}
