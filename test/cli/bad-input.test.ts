import net from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { runCli } from '../support/cli.js';
import { experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';

const p = kvPorts(27360);

const valid = experimentYaml(
  'valid',
  `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 100ms, timeout: 500ms }
  steadyState: [writes]
  faults:
    - kill: { target: primary }
      at: 100ms
  objectives:
    - recovery: { probe: writes, within: 5s }
  observe: { steadyState: 300ms }`,
);

async function expectRejected(yaml: string, code: number, pattern: RegExp, command = 'run') {
  const file = writeTemp('bad.yaml', yaml);
  const r = await runCli([command, file, '--out', writeTemp('x', '') + '.d']);
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  for (const port of [p.primary, p.replica, p.link, p.clientLink]) expect(await addressInUse(`127.0.0.1:${port}`)).toBe(false);
  return r;
}

describe('bad input is rejected with one clear message and nothing left running (spawned CLI)', () => {
  it('a missing file', async () => {
    const r = await runCli(['run', '/nonexistent/experiment.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not found.*\/nonexistent\/experiment\.yaml|\/nonexistent\/experiment\.yaml.*not found/);
  });

  it('a YAML syntax error, with line and column', async () => {
    await expectRejected(valid.replace('  probes:', '  probes: [unclosed'), 2, /bad\.yaml:\d+:\d+/);
  });

  it('an unknown key, with a suggestion', async () => {
    await expectRejected(valid.replace('steadyState: [writes]', 'steadyStat: [writes]'), 2, /bad\.yaml:\d+:\d+.*steadyStat.*did you mean "steadyState"/s);
  });

  it('an unknown fault kind, with a suggestion', async () => {
    await expectRejected(valid.replace('- kill:', '- kil:'), 2, /unknown fault kind "kil".*did you mean "kill"/);
  });

  it('a negative or malformed duration', async () => {
    await expectRejected(valid.replace('at: 100ms', 'at: -5s'), 2, /bad\.yaml:\d+:\d+.*negative/);
    await expectRejected(valid.replace('at: 100ms', 'at: 10 sec'), 2, /bad\.yaml:\d+:\d+.*not a duration/);
  });

  it('a fault naming an unknown target', async () => {
    await expectRejected(valid.replace('kill: { target: primary }', 'kill: { target: primry }'), 2, /primry.*did you mean "primary"/);
  });

  it('a selector matching nothing', async () => {
    await expectRejected(valid.replace('names: [primary]', 'names: [standby]'), 2, /bad\.yaml:\d+:\d+: spec\.targets\.primary\.selector\.names\[0\]: unknown service "standby" \(spec\.services has: primary, replica\)/);
  });

  it('a service whose command does not exist', async () => {
    await expectRejected(valid.replace('command: [node, ', 'command: [no-such-program-xyz, '), 2, /service "primary": command "no-such-program-xyz" was not found on PATH/);
  });

  it('a port already in use', async () => {
    const squatter = net.createServer().listen(p.link, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    try {
      const file = writeTemp('bad.yaml', valid);
      const r = await runCli(['run', file, '--out', writeTemp('x', '') + '.d']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${p.link} is already in use`));
      expect(await addressInUse(`127.0.0.1:${p.primary}`)).toBe(false);
    } finally {
      squatter.close();
    }
  });

  it('a probe target unreachable before injection aborts with nothing injected', async () => {
    const r = await expectRejected(valid.replace(`url: "http://127.0.0.1:${p.primary}/put`, `url: "http://127.0.0.1:${p.primary + 50}/put`), 3, /steady state was not met.*ECONNREFUSED/s);
    expect(r.stderr).not.toMatch(/inject kill/);
  });

  it('validate reports every problem of every file and exits 2', async () => {
    const badSchema = writeTemp('bad.yaml', valid.replace('at: 100ms', 'at: 1 minute').replace('every: 100ms', 'every: 100'));
    const badRefs = writeTemp('refs.yaml', valid.replace('steadyState: [writes]', 'steadyState: [write]').replace('probe: writes', 'probe: wirtes'));
    const good = writeTemp('good.yaml', valid);
    const r = await runCli(['validate', good, badSchema, badRefs]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/ok\s+.*good\.yaml/);
    expect(r.stdout).toMatch(/1 valid, 2 invalid/);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+.*1 minute/);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+.*bare number 100/);
    expect(r.stderr).toMatch(/refs\.yaml:\d+:\d+.*"write".*did you mean "writes"/);
    expect(r.stderr).toMatch(/refs\.yaml:\d+:\d+.*"wirtes".*did you mean "writes"/);
  });

  it('an unknown option is a usage error', async () => {
    const r = await runCli(['run', '--sed', '3', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--sed'/);
  });
});

describe('output paths are checked before anything is touched', () => {
  it.each([
    ['--junit', () => writeTemp('a-file', 'x') + '/junit.xml', /--junit .*a-file\/junit\.xml: a component of this path is a file/],
    ['--html', () => tmpdir(), /--html .*: this is a directory; give a file name/],
    ['--out', () => writeTemp('another-file', 'x'), /--out: .*another-file is not a directory/],
  ])('%s', async (option, value, message) => {
    const r = await runCli(['run', writeTemp('ok.yaml', valid), option, value()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/service .* started/);
  });
});
