// faultline's own container, when it runs in one: it must never select itself as a victim.
import { readFileSync } from 'node:fs';

const CONTAINER_ID = /(?:\/docker\/containers\/|\/docker[-/]|\/libpod-)([0-9a-f]{64})/;

export function ownContainerId(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): string | undefined {
  for (const file of ['/proc/self/mountinfo', '/proc/self/cgroup']) {
    try {
      const m = CONTAINER_ID.exec(read(file));
      if (m) return m[1];
    } catch {
      // Not Linux, or /proc hidden: then we are not in a container we could select anyway.
    }
  }
  return undefined;
}
