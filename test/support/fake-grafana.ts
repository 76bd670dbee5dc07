// A stand-in for Grafana's `POST /api/annotations` that checks each request against the shape
// Grafana documents (JSON body; `time` and `timeEnd` in epoch milliseconds, a region's `time`
// before its `timeEnd`; `tags` a list of strings; `text` a string; a Bearer token) and answers as
// Grafana does. A request that does not match is answered 400 and recorded as a problem, so a test
// sees exactly what was wrong.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedAnnotation {
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
}

export interface FakeGrafana {
  url: string;
  annotations: ReceivedAnnotation[];
  /** Requests refused for their shape, with the reason. */
  problems: string[];
  close(): Promise<void>;
}

/** 2001-09-09 and 2286-11-20: an epoch time in seconds, or in microseconds, falls outside. */
const MS_EPOCH = { min: 1e12, max: 1e13 };

export async function startFakeGrafana(opts: { token: string; status?: number }): Promise<FakeGrafana> {
  const annotations: ReceivedAnnotation[] = [];
  const problems: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answer = (status: number, json: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.method !== 'POST' || req.url !== '/api/annotations') return answer(404, { message: 'Not found' });
      if (req.headers.authorization !== `Bearer ${opts.token}`) {
        problems.push(`authorization header: ${req.headers.authorization ?? '(none)'}`);
        return answer(401, { message: 'Unauthorized' });
      }
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) problems.push(`content-type: ${req.headers['content-type']}`);
      let a: Record<string, unknown>;
      try {
        a = JSON.parse(body) as Record<string, unknown>;
      } catch {
        problems.push(`body is not JSON: ${body}`);
        return answer(400, { message: 'bad request data' });
      }
      const wrong = shapeProblem(a);
      if (wrong) {
        problems.push(wrong);
        return answer(400, { message: wrong });
      }
      if (opts.status && opts.status !== 200) return answer(opts.status, { message: 'Failed to save annotation' });
      annotations.push(a as unknown as ReceivedAnnotation);
      answer(200, { message: 'Annotation added', id: annotations.length });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    annotations,
    problems,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function shapeProblem(a: Record<string, unknown>): string | null {
  const known = new Set(['dashboardUID', 'dashboardId', 'panelId', 'time', 'timeEnd', 'tags', 'text']);
  const unknown = Object.keys(a).filter((k) => !known.has(k));
  if (unknown.length) return `fields Grafana does not document: ${unknown.join(', ')}`;
  if (!isMsEpoch(a.time)) return `time is not epoch milliseconds: ${String(a.time)}`;
  if (a.timeEnd !== undefined) {
    if (!isMsEpoch(a.timeEnd)) return `timeEnd is not epoch milliseconds: ${String(a.timeEnd)}`;
    if (!((a.time as number) < (a.timeEnd as number))) return `a region must start before it ends: time ${String(a.time)}, timeEnd ${String(a.timeEnd)}`;
  }
  if (!Array.isArray(a.tags) || !a.tags.every((t) => typeof t === 'string' && t.length > 0)) return `tags must be a list of strings: ${JSON.stringify(a.tags)}`;
  if (typeof a.text !== 'string' || !a.text) return 'text must be a non-empty string';
  return null;
}

function isMsEpoch(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= MS_EPOCH.min && v < MS_EPOCH.max;
}
