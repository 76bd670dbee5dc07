// Runs every bench/*.bench.mjs in turn, each in its own Node process, then prints one table from
// bench/results/*.json. A bench joins the table by writing bench/results/<name>.json with
//   { "bench": "<name>", "targets": [{ "name", "value", "unit", "target", "pass" }], "pass": boolean }
// A target measured against a peer or a floor also names them ("faultline", "peer", "floor": the
// figures its value, a ratio or a difference, was taken from), and the table shows them.
// Files without `targets` are listed with their top-level numbers (or `medians`) instead.
//
//   npm run bench                 (builds first)
//   node bench/run-all.js proxy   (only benches whose file name contains "proxy")
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, 'results');
const filter = process.argv[2];
/** A hung bench must not hang the whole run. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 900) * 1000;

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, file)], { stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.error(`${file}: no exit after ${TIMEOUT_MS / 1000} s, killing it`);
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? `signal ${signal}` : code);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
}

function cell(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5);
  if (typeof v === 'boolean') return v ? 'PASS' : 'FAIL';
  return v === undefined || v === null ? '' : String(v);
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function rowsOf(name, result) {
  if (Array.isArray(result.targets)) {
    return result.targets.map((t) => [name, cell(t.name), cell(t.faultline), cell(t.peer), cell(t.floor), `${cell(t.value)} ${t.unit ?? ''}`.trim(), cell(t.target), cell(t.pass)]);
  }
  const numbers = result.medians && typeof result.medians === 'object' ? result.medians : result;
  return Object.entries(numbers)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [name, k, '', '', '', cell(v), '', '']);
}

async function main() {
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter))).sort();
  const exits = new Map();
  for (const f of files) {
    console.log(`\n=== ${f}`);
    const t0 = performance.now();
    exits.set(f, await run(f));
    console.log(`=== ${f}: exit ${exits.get(f)} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const results = (await readdir(resultsDir).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
  const rows = [['bench', 'figure', 'faultline', 'peer', 'floor', 'value', 'target', 'result']];
  for (const f of results) {
    const name = path.basename(f, '.json');
    try {
      rows.push(...rowsOf(name, JSON.parse(await readFile(path.join(resultsDir, f), 'utf8'))));
    } catch (err) {
      rows.push([name, `unreadable: ${err.message}`, '', '', '', '', '', 'FAIL']);
    }
  }
  for (const [f, code] of exits) if (code !== 0) rows.push([f, 'bench process', '', '', '', `exit ${code}`, 'exit 0', 'FAIL']);

  console.log(`\nSummary (${results.length} result file${results.length === 1 ? '' : 's'})\n`);
  console.log(rows.length > 1 ? table(rows) : 'no results');
  // A missed target is a finding to report, not a crash; only a bench that failed to run sets the exit code.
  if ([...exits.values()].some((c) => c !== 0)) process.exitCode = 1;
}

await main();
