#!/usr/bin/env node
// A small replicated key-value service for faultline's demo: a primary that replicates every write
// to its replica over one long-lived connection, and a replica that applies them and can be
// promoted. With --sync the primary answers a write only once the replica has acknowledged it
// (semi-synchronous replication), so a partition between them stops writes: that is the breach
// the demo shows.
//
//   node server.js --role=primary --port=7001 [--sync] [--ack-timeout=300]
//   node server.js --role=replica --port=7002 --primary=127.0.0.1:17001
//
// HTTP: GET /put?k=K&v=V (or POST), GET /get?k=K, GET /health, GET /ready, GET /metrics, POST /promote (replica).
// Replication: the replica sends "GET /replicate" with "Upgrade: kv-replication" to the primary;
// the primary answers 101 and then writes NDJSON lines (snapshot, entries, heartbeats); the
// replica answers each entry with "ack <seq>\n".
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const port = Number(args.port ?? 7001);
const ackTimeout = Number(args['ack-timeout'] ?? 300);
let role = args.role ?? 'primary';
const sync = args.sync === 'true';

const data = new Map();
let seq = 0;

// ---------------------------------------------------------------- primary side
const replicas = new Set(); // { socket, waiting: Map<seq, resolve> }

function replicate(entry) {
  const line = JSON.stringify(entry) + '\n';
  const acks = [];
  for (const r of replicas) {
    r.socket.write(line);
    acks.push(new Promise((resolve) => r.waiting.set(entry.seq, resolve)));
  }
  return acks;
}

function acceptReplica(socket) {
  const r = { socket, waiting: new Map() };
  replicas.add(r);
  socket.setNoDelay(true);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: kv-replication\r\nConnection: Upgrade\r\n\r\n');
  socket.write(JSON.stringify({ snapshot: Object.fromEntries(data), seq }) + '\n');
  const heartbeat = setInterval(() => socket.write('{"heartbeat":true}\n'), 250);
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk;
    let i;
    while ((i = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      const m = /^ack (\d+)$/.exec(line);
      if (m) {
        const n = Number(m[1]);
        for (const [s, resolve] of r.waiting) if (s <= n) (r.waiting.delete(s), resolve(true));
      }
    }
  });
  const drop = () => {
    clearInterval(heartbeat);
    replicas.delete(r);
    for (const resolve of r.waiting.values()) resolve(false);
  };
  socket.on('close', drop);
  socket.on('error', drop);
}

async function put(k, v) {
  if (role !== 'primary') return [503, { error: 'read-only replica' }];
  if (sync && replicas.size === 0) return [503, { error: 'no replica connected (synchronous replication)' }];
  const entry = { seq: ++seq, k, v };
  data.set(k, v);
  const acks = replicate(entry);
  if (!sync) return [200, { seq: entry.seq }];
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), ackTimeout)));
  const ok = await Promise.race([Promise.any(acks), timeout]);
  clearTimeout(timer);
  return ok ? [200, { seq: entry.seq }] : [503, { error: `replica did not acknowledge within ${ackTimeout}ms` }];
}

// ---------------------------------------------------------------- replica side
let upstream = { connected: false, lastSeen: 0 };

function follow(address) {
  if (role !== 'replica') return;
  const [host, p] = address.split(':');
  const req = http.request({ host, port: Number(p), path: '/replicate', headers: { Connection: 'Upgrade', Upgrade: 'kv-replication' } });
  let socket;
  let watchdog;
  const retry = () => {
    clearInterval(watchdog);
    upstream.connected = false;
    socket?.destroy();
    setTimeout(() => follow(address), 200);
  };
  req.on('upgrade', (_res, s, head) => {
    socket = s;
    socket.setNoDelay(true);
    upstream = { connected: true, lastSeen: Date.now() };
    // A silent primary (partitioned, paused) is indistinguishable from a dead one: give up after 1.5s.
    watchdog = setInterval(() => Date.now() - upstream.lastSeen > 1500 && retry(), 250);
    let buffered = head.toString();
    const onData = (chunk) => {
      upstream.lastSeen = Date.now();
      buffered += chunk;
      let i;
      while ((i = buffered.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
        if (msg.snapshot) {
          data.clear();
          for (const [k, v] of Object.entries(msg.snapshot)) data.set(k, v);
          seq = msg.seq;
        } else if (msg.seq) {
          data.set(msg.k, msg.v);
          seq = msg.seq;
          socket.write(`ack ${msg.seq}\n`);
        }
      }
    };
    onData('');
    socket.on('data', onData);
    socket.on('close', retry);
    socket.on('error', retry);
  });
  req.on('error', retry);
  req.on('response', (res) => (res.resume(), retry()));
  req.setTimeout(2000, () => req.destroy(new Error('connect timeout')));
  req.end();
}

// ---------------------------------------------------------------- HTTP API
function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body) + '\n');
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://kv');
  if (url.pathname === '/put') {
    const k = url.searchParams.get('k');
    if (!k) return send(res, 400, { error: 'missing k' });
    const [status, body] = await put(k, url.searchParams.get('v') ?? '');
    return send(res, status, body);
  }
  if (url.pathname === '/get') {
    const k = url.searchParams.get('k') ?? '';
    return data.has(k) ? send(res, 200, { k, v: data.get(k) }) : send(res, 404, { error: 'not found' });
  }
  // Ready means able to do its job: a replica only once it follows a primary.
  if (url.pathname === '/ready') return role === 'replica' && !upstream.connected ? send(res, 503, { error: 'not following a primary yet' }) : send(res, 200, { role });
  if (url.pathname === '/health') return send(res, 200, { role, seq, replicas: replicas.size, upstream: role === 'replica' ? upstream.connected : undefined });
  // For Prometheus (examples/detection): the write sequence and the role, in its text format.
  if (url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', connection: 'close' });
    return res.end(`# TYPE kv_writes_total counter\nkv_writes_total ${seq}\n# TYPE kv_primary gauge\nkv_primary ${role === 'primary' ? 1 : 0}\n`);
  }
  if (url.pathname === '/promote' && req.method === 'POST') {
    role = 'primary';
    return send(res, 200, { role });
  }
  send(res, 404, { error: 'no such endpoint' });
});
server.on('upgrade', (req, socket) => {
  if (role === 'primary' && req.url === '/replicate') acceptReplica(socket);
  else socket.destroy();
});
server.listen(port, '127.0.0.1', () => {
  console.log(`kv ${role} listening on 127.0.0.1:${port}${sync ? ' (synchronous replication)' : ''}`);
  if (role === 'replica' && args.primary) follow(args.primary);
});
const shutdown = () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 200).unref();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
