// faultline/jest under real jest (29, native ESM through --experimental-vm-modules), not vitest: a
// test file in a temporary folder imports the built library and `faultline/jest` from dist/, runs
// one experiment that meets its objective and one that does not, and jest's own results and
// output are checked. The experiments use no port and no service: an exec probe on a marker file
// and a command fault that removes it (and, in the passing one, puts it back).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { processesMentioning } from '../support/leftovers.js';

const dist = path.resolve('dist');
const jestBin = path.resolve('node_modules/jest/bin/jest.js');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function testFile(work: string): string {
  const url = (file: string) => JSON.stringify(pathToFileURL(path.join(dist, file)).href);
  return `import { experiment } from ${url('index.js')};
import ${url('jest.js')};

const work = ${JSON.stringify(work)};
const marker = work + '/up';
const experimentOf = (name, revert) => ({
  apiVersion: 'faultline/v1',
  kind: 'Experiment',
  metadata: { name },
  spec: {
    driver: 'process',
    probes: { up: { exec: { command: ['test', '-e', marker] }, every: '50ms', timeout: '2s' } },
    steadyState: ['up'],
    faults: [{ command: { run: ['rm', '-f', marker], ...(revert ? { revert: ['touch', marker] } : {}) }, at: '100ms', ...(revert ? { for: '200ms' } : {}) }],
    objectives: [{ recovery: { probe: 'up', within: '3s' } }],
    observe: { steadyState: '100ms', recoveryWindow: '1s' },
  },
});
const run = async (name, revert) => {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(marker, '');
  return experiment(experimentOf(name, revert), { stateDir: work + '/state', out: work + '/runs' }).run();
};

test('an experiment that recovers', async () => {
  const result = await run('recovers', true);
  expect(result).toMeetObjectives();
  expect(result).toRecoverWithin('3s');
}, 20000);

test('an experiment that never recovers', async () => {
  const result = await run('never-recovers', false);
  expect(result).toMeetObjectives();
}, 20000);
`;
}

describe('faultline/jest under jest itself', () => {
  it('passes a run that meets its objectives and fails one that does not, printing its verdict table', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'faultline-jest-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify({ testEnvironment: 'node', transform: {}, testMatch: ['**/*.test.js'], cacheDirectory: path.join(dir, '.cache') }));
    writeFileSync(path.join(dir, 'faultline.test.js'), testFile(dir));
    const results = path.join(dir, 'results.json');
    const r = spawnSync(process.execPath, ['--experimental-vm-modules', jestBin, '--config', path.join(dir, 'jest.config.json'), '--rootDir', dir, '--ci', '--runInBand', '--json', '--outputFile', results], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const output = r.stdout + r.stderr;
    expect(r.status, output).toBe(1);
    const json = JSON.parse(readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
    const byTitle = Object.fromEntries(json.testResults[0]!.assertionResults.map((a) => [a.title, a]));
    expect(byTitle['an experiment that recovers']?.status, output).toBe('passed');
    expect(byTitle['an experiment that never recovers']?.status).toBe('failed');
    expect([json.numPassedTests, json.numFailedTests]).toEqual([1, 1]);
    // jest's own report of the failure carries the matcher's message: the exit code and the verdict table.
    expect(output).toContain('expected the run to meet its objectives (exit 0), but it exited 1:');
    expect(output).toMatch(/RESULT +OBJECTIVE +MEASURED +TARGET/);
    expect(output).toMatch(/✘ FAIL +up recovers within 3s/);
    expect(output).toContain('1 of 1 objectives missed');
    // Nothing of either run outlives jest (a watchdog would name the state folder).
    const deadline = Date.now() + 10_000;
    while (processesMentioning(dir!).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(processesMentioning(dir!)).toEqual([]);
  }, 60_000);
});
