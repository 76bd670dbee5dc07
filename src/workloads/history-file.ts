// history.jsonl: one Operation per line, appended as each operation completes, so a long run never
// holds its history in memory and a crash loses only what was still in flight. The final reads go
// to a second file beside it in the same way.
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export class JsonLinesFile<T> {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'w', mode: 0o600 });
    this.stream.on('error', (e) => {
      this.failure ??= e;
    });
  }

  /** Buffered by the stream: a slow disk never holds an operation back. */
  append(entry: T): void {
    if (!this.failure) this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  /** Resolves once every entry appended so far is in the file (the stream writes in order). */
  flushed(): Promise<void> {
    if (this.stream.writableEnded || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }

  /** Flushes and closes; rejects if any write failed. */
  async close(): Promise<void> {
    if (!this.stream.closed) {
      this.stream.end();
      await once(this.stream, 'close').catch(() => {});
    }
    if (this.failure) throw this.failure;
  }
}

/** Reads a JSON-lines file back one entry at a time. */
export async function* readJsonLines<T>(file: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as T;
}
