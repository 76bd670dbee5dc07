// The store the workload bench drives, in its own process: PUT /kv/KEY stores, GET /kv/KEY reads
// (404 when absent), keep-alive. Every reply waits DELAY ms (so latencies are large enough for
// autocannon's millisecond histogram to compare); GET /stall?ms=N holds every reply until N ms
// from now. argv: port delayMs prefillRun prefillCount (prefilled keys use faultline's naming).
import http from 'node:http';

const [port, delay = '0', run = '', count = '0'] = process.argv.slice(2);
const data = new Map();
for (let i = 0; i < Number(count); i++) data.set(`bench-${run}-${i}`, `${run}.${i}`);
let stallUntil = 0;
const held = [];

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url.startsWith('/stall')) {
      const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms'));
      stallUntil = performance.now() + ms;
      setTimeout(() => held.splice(0).forEach((f) => f()), ms);
      return res.end('stalled');
    }
    const answer = () => {
      const key = req.url.slice(4);
      if (req.method === 'PUT') {
        data.set(key, Buffer.concat(chunks).toString());
        return res.end('ok');
      }
      const v = data.get(key);
      if (v === undefined) {
        res.statusCode = 404;
        return res.end();
      }
      res.end(v);
    };
    const reply = () => (Number(delay) > 0 ? setTimeout(answer, Number(delay)) : answer());
    if (performance.now() < stallUntil) held.push(reply);
    else reply();
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(Number(port), '127.0.0.1', () => console.log('up'));
