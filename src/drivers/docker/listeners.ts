// TCP ports a container listens on, read from /proc/net/tcp{,6} of its namespace: the delaying
// proxy needs one listener per peer address:port because Node cannot read SO_ORIGINAL_DST.

function hexIpv4(ip: string): string {
  return ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
}

/** Ports in LISTEN state bound to any address or to `ip` (IPv4, or IPv6 any/mapped). */
export function listeningPorts(procNetTcp: string, ip: string): number[] {
  const own = hexIpv4(ip);
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== '0A') continue;
    const [addr, portHex] = f[1]!.split(':');
    if (!addr || !portHex) continue;
    const any = /^0+$/.test(addr);
    const v4 = addr.length === 8 && addr.toUpperCase() === own;
    const mapped = addr.length === 32 && addr.toUpperCase() === `0000000000000000FFFF0000${own}`;
    if (any || v4 || mapped) ports.add(parseInt(portHex, 16));
  }
  return [...ports].sort((a, b) => a - b);
}
