// Getting an image a run needs (a holder, a helper) onto the engine the first time it is used, the
// way testcontainers pulls its reaper: progress to the log, and when the registry cannot be reached
// (an air-gapped site, no network) the engine's own error, for a message that says what to do.
import type Dockerode from 'dockerode';

interface PullEvent {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Resolves once the image is on the engine; rejects with the engine's or the registry's error. */
export async function pullImage(docker: Dockerode, image: string, progress: (line: string) => void): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    let shown = '';
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: PullEvent[]) => {
        const failed = events.find((e) => e.error || e.errorDetail?.message);
        if (err) reject(err);
        else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
        else resolve();
      },
      (e: PullEvent) => {
        // One line per layer state change, not per byte.
        const line = `${image}: ${e.id ? `${e.id} ` : ''}${e.status ?? ''}`;
        if (e.status && line !== shown) progress((shown = line));
      },
    );
  });
}
