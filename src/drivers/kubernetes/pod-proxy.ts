// HTTP to a pod through the API server's pods/proxy subresource, so a `where` or probe URL reaches
// pods from outside the cluster (a laptop, CI) where pod IPs are not routable. Sent with the
// kubeconfig's credentials and TLS settings; the pod's own status code and body come back as-is.
import http from 'node:http';
import https from 'node:https';
import type { ClusterApi } from './cluster-api.js';
import type { PodFacts } from './pod-target.js';

export interface ProxyRequest {
  /** The URL as written, e.g. http://pod:8080/role?x=1 (the host is replaced by the pod). */
  url: URL;
  method: string;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  timeoutMs: number;
}

export interface ProxyResponse {
  status: number;
  body: string;
}

const MAX_BODY = 64 * 1024;

/** /api/v1/namespaces/{ns}/pods/{[https:]name:port}/proxy/{path}?{query} */
export function proxyPath(pod: PodFacts, url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const scheme = url.protocol === 'https:' ? 'https:' : '';
  return `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${scheme}${encodeURIComponent(pod.pod)}:${port}/proxy${url.pathname}${url.search}`;
}

export async function podProxyRequest(api: ClusterApi, pod: PodFacts, req: ProxyRequest): Promise<ProxyResponse> {
  const server = api.identity.server.replace(/\/$/, '');
  const target = new URL(`${server}${proxyPath(pod, req.url)}`);
  const opts: https.RequestOptions = { method: req.method, headers: { ...(req.headers ?? {}) } };
  await api.kubeConfig.applyToHTTPSOptions(opts);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise<ProxyResponse>((resolve, reject) => {
    const r = lib.request(target, opts, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.setTimeout(req.timeoutMs, () => r.destroy(new Error(`no answer through the API server's pod proxy within ${req.timeoutMs}ms`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}
