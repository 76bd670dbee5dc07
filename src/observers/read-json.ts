// One GET of an observer's JSON API through undici, bounded in time, with an error that names the
// address: "observer unreachable" is only useful when it says which one.

/** `path` under `base`, keeping any path prefix of the base (a Prometheus behind /prometheus/). */
export function apiUrl(base: string, path: string): string {
  return new URL(path, base.endsWith('/') ? base : `${base}/`).toString();
}

export async function readJson(url: string, timeoutMs: number, signal: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    // Imported here, not with the module: undici is not part of the start-up snapshot (docs/start-up.md).
    const { request } = await import('undici');
    const res = await request(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.any([signal, timeout]) });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${text.slice(0, 200).trim()}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`GET ${url} did not answer JSON: ${text.slice(0, 120).trim()}`);
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`GET ${url}`)) throw e;
    if (timeout.aborted && !signal.aborted) throw new Error(`GET ${url} did not answer within ${timeoutMs}ms`);
    throw new Error(`GET ${url} failed: ${describe(e)}`);
  }
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: string }).code ?? ((e as { cause?: { code?: string } }).cause?.code);
  return code && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
}
