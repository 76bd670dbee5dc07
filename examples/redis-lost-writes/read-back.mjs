#!/usr/bin/env node
// An independent check of faultline's durability count, sharing no code with it: read a
// history.jsonl (one Operation per line, see src/domain/history.ts), GET every key whose write was
// acknowledged (outcome ok) or unknown straight from Redis, and count what is missing.
//
//   node read-back.mjs <history.jsonl> <redis-url> [--workload name]
//
// Prints one JSON object: acknowledged, lost (acknowledged and absent, or holding another value),
// unknown, recovered (unknown and present), and every lost key with its acknowledgement time.
// Read from the node that holds the surviving data: the current primary (see the README for why).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';

const BATCH = 500;

/** The write operations of one workload (or of all), in history order. */
export async function writesOf(historyFile, workload) {
  const writes = [];
  const lines = createInterface({ input: createReadStream(historyFile), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const op = JSON.parse(line);
    if (op.type !== 'write' || (workload && op.workload !== workload)) continue;
    if (op.outcome === 'ok' || op.outcome === 'unknown') writes.push(op);
  }
  return writes;
}

/** GETs every key of `writes` (MGET in batches) and sorts them into the set-full categories. */
export async function readBack(writes, url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000, commandTimeout: 10_000 });
  try {
    await redis.connect();
    const lost = [];
    let acknowledged = 0;
    let unknown = 0;
    let recovered = 0;
    for (let i = 0; i < writes.length; i += BATCH) {
      const batch = writes.slice(i, i + BATCH);
      const values = await redis.mget(...batch.map((w) => w.key));
      batch.forEach((w, j) => {
        const present = values[j] === w.value;
        if (w.outcome === 'ok') {
          acknowledged++;
          if (!present) lost.push({ key: w.key, ackAt: w.completedAt, found: values[j] });
        } else {
          unknown++;
          if (present) recovered++;
        }
      });
    }
    return { acknowledged, lost: lost.length, unknown, recovered, lostKeys: lost };
  } finally {
    redis.disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, url, flag, workload] = process.argv.slice(2);
  if (!file || !url || (flag !== undefined && (flag !== '--workload' || !workload))) {
    console.error('usage: node read-back.mjs <history.jsonl> <redis-url> [--workload name]');
    process.exitCode = 2;
  } else {
    const result = await readBack(await writesOf(file, workload), url);
    console.log(JSON.stringify(result));
  }
}
