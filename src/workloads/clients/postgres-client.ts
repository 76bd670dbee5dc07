// PostgreSQL workloads through pg: a write INSERTs (key, value, written_at) into the table, a read
// SELECTs the value by key. The table is created if missing. pg cannot cancel a query from an
// AbortSignal, so a server-side query_timeout ends queries the generator has already timed out.
import pg from 'pg';
import type { WriteClientParams } from '../../domain/workload.js';
import { OperationError, type ClientDeps, type OperationClient } from './client.js';

/** Enough connections to keep a few dozen operations in flight without exhausting the server's slots. */
const MAX_CONNECTIONS = 20;

export function postgresClient(p: WriteClientParams<'postgres'>, deps: ClientDeps, role: 'write' | 'read'): OperationClient {
  const url = new URL(p.url);
  const address = `${url.hostname}:${url.port || 5432}`;
  const table = p.table.split('.').map((part) => `"${part}"`).join('.');
  const pool = new pg.Pool({
    connectionString: p.url,
    max: Math.min(deps.maxInFlight, MAX_CONNECTIONS),
    connectionTimeoutMillis: deps.timeout,
    query_timeout: deps.timeout,
  });
  // An idle connection the server drops emits here; the next query gets a fresh one.
  pool.on('error', () => {});
  const insert = `INSERT INTO ${table} (key, value, written_at) VALUES ($1, $2, now())`;
  const select = `SELECT value FROM ${table} WHERE key = $1`;

  return {
    address,
    async prepare() {
      try {
        await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (key text PRIMARY KEY, value text, written_at timestamptz)`);
      } catch (e) {
        // IF NOT EXISTS is not atomic: the workload's read client may have created it just now,
        // which the loser sees as a unique violation (23505), the table (42P07) or its row type
        // (42710, seen in a test run) already existing.
        if (!(e instanceof pg.DatabaseError && ['23505', '42P07', '42710'].includes(e.code ?? ''))) throw e;
      }
    },
    async run(vars) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        // No connection, so no query was sent.
        throw new OperationError('fail', `cannot connect to ${address}: ${e instanceof Error ? e.message : String(e)}`);
      }
      // A checked-out client whose connection breaks (the server killed mid-drill) emits 'error' on
      // itself; unheard, that event would end the whole runner with its faults still in place. The
      // failed query already carries the error to the operation's outcome; pg's pool discards a
      // client whose connection ended when it is released.
      const onError = () => {};
      client.on('error', onError);
      try {
        if (role === 'read') {
          const result = await client.query<{ value: string | null }>(select, [vars.key]);
          return result.rows[0]?.value || null;
        }
        await client.query(insert, [vars.key, vars.value]);
        return null;
      } catch (e) {
        // The server answered with an error (a constraint, a read-only replica): it was not applied.
        if (e instanceof pg.DatabaseError) throw new OperationError('fail', e.message);
        throw e;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
