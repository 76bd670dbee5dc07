// Read buffers shared by a proxy's sockets. Node reads a socket into a fresh 64 KB ArrayBuffer per
// read; in a process that has loaded large libraries (the runner, with dockerode or the workload
// clients) that external memory sets V8's incremental marking off again and again, 25-32 full
// collections per GB forwarded. Reading into reused buffers allocates nothing per read.
// A buffer comes back only once nothing can still read into it or write from it (see Pipe).

/** The size of one read: Node's own read size, so a busy stream needs as many reads as before. */
export const READ_BUFFER_SIZE = 64 * 1024;
/** Free buffers kept for reuse; past this, returned buffers are left to the garbage collector. */
const KEEP = 64;

export class BufferPool {
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_SIZE);
  }

  give(b: Buffer): void {
    if (this.free.length < KEEP) this.free.push(b);
  }
}
