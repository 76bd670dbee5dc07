// A run that never gets a journal (invalid file, unreachable engine) still writes --junit and
// --markdown saying what happened, and names where the failing setting came from (spawned CLI).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { xmlProblem } from '../report/wellformed.js';

const dirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'fl-failed-start-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A loopback port nothing listens on: bound by the OS, then released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dockerExperiment = (host: string) => `apiVersion: faultline/v1
kind: Experiment
metadata: { name: unreachable }
spec:
  driver: docker
  docker:
    host: ${host}
  targets:
    web: { selector: { names: [web] } }
  probes:
    up: { tcp: { address: "127.0.0.1:1" } }
  faults:
    - pause: { target: web }
      for: 2s
  objectives:
    - recovery: { probe: up, within: 10s }
    - availability: { probe: up, atLeast: 95% }
`;

const testcases = (xml: string) => [...xml.matchAll(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g)].map((m) => m[0]);

describe('--junit and --markdown are written on every path', () => {
  it('an invalid file: one failed test case with the located message; exit 2', async () => {
    const dir = scratch();
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, dockerExperiment('tcp://127.0.0.1:1').replace('steadyState', 'x').replace('  probes:', '  probez:'));
    const junit = path.join(dir, 'ci', 'junit.xml');
    const markdown = path.join(dir, 'summary.md');
    const r = await runCli(['run', file, '--junit', junit, '--markdown', markdown, '--out', path.join(dir, 'runs')]);
    expect(r.code).toBe(2);
    const xml = readFileSync(junit, 'utf8');
    expect(xmlProblem(xml)).toBeNull();
    const cases = testcases(xml);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatch(/<failure message="invalid input: nothing was touched \(exit 2\): [^"]*bad\.yaml:\d+:\d+: [^"]*probez/);
    expect(xml).toContain('tests="1" failures="1" errors="0"');
    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/^### ❌ faultline: bad\.yaml did not run/);
    expect(md).toMatch(/bad\.yaml:\d+:\d+: .*probez/);
    expect(md.endsWith('\n')).toBe(true);
  });

  it('an unreachable engine named in the file: exit 3, the file and line:col blamed, the declared objectives listed as not judged', async () => {
    const dir = scratch();
    const port = await deadPort();
    const file = path.join(dir, 'experiment.yaml');
    writeFileSync(file, dockerExperiment(`tcp://127.0.0.1:${port}`));
    const junit = path.join(dir, 'junit.xml');
    const markdown = path.join(dir, 'summary.md');
    const r = await runCli(['run', file, '--junit', junit, '--markdown', markdown, '--out', path.join(dir, 'runs')], { env: { DOCKER_HOST: '' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot reach the Docker engine at tcp://127.0.0.1:${port} (spec.docker.host at ${file}:7:11): connection refused. Start Docker there, or change spec.docker.host at ${file}:7:11 (--docker-host overrides it).`);
    expect(r.stderr).not.toMatch(/point --docker-host/);
    const xml = readFileSync(junit, 'utf8');
    expect(xmlProblem(xml)).toBeNull();
    const cases = testcases(xml);
    expect(cases.map((c) => /name="([^"]*)"/.exec(c)![1])).toEqual(['run', 'up recovers within 10s', 'up available &gt;= 95%']);
    expect(cases[0]).toContain('type="environment"');
    expect(cases[1]).toMatch(/<error message="not judged: the run did not start: cannot reach the Docker engine/);
    const md = readFileSync(markdown, 'utf8');
    expect(md).not.toContain('No objectives');
    expect(md).toContain('| up available >= 95% | >= 95% | — | ❔ not judged |');
  });

  it('the flag and the environment variable are blamed when they chose the address', async () => {
    const dir = scratch();
    const port = await deadPort();
    const file = path.join(dir, 'experiment.yaml');
    writeFileSync(file, dockerExperiment('tcp://127.0.0.1:1').replace(/  docker:\n    host: .*\n/, ''));
    const flag = await runCli(['run', file, '--docker-host', `tcp://127.0.0.1:${port}`, '--out', path.join(dir, 'runs')]);
    expect(flag.code).toBe(3);
    expect(flag.stderr).toContain(`tcp://127.0.0.1:${port} (--docker-host): connection refused. Start Docker there, or point --docker-host at a running engine.`);
    const env = await runCli(['run', file, '--out', path.join(dir, 'runs')], { env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } });
    expect(env.code).toBe(3);
    expect(env.stderr).toContain(`tcp://127.0.0.1:${port} (DOCKER_HOST): connection refused. Start Docker there, or point DOCKER_HOST (or --docker-host) at a running engine.`);
  });
});
