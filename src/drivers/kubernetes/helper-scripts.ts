// Shell scripts run by faultline's ephemeral helper containers. Every script first checks
// FAULTLINE_START_BY: a helper the kubelet starts after faultline gave up waiting does nothing,
// which is how a timed-out helper leaves nothing behind (Kubernetes never removes ephemeral
// containers from a pod spec). An impairment also lifts itself at FAULTLINE_DEADLINE, so a
// faultline that dies mid-run cannot leave a pod impaired for ever.
import type { Impairment } from '../driver.js';

const GUARD = 'if [ "$(date +%s)" -gt "$FAULTLINE_START_BY" ]; then echo "started after FAULTLINE_START_BY; nothing done"; exit 0; fi';
const DEV = 'DEV=$(ip route show default 2>/dev/null | awk \'/default/ {print $5; exit}\'); DEV=${DEV:-eth0}';
const IFB = 'faultline0';
const COMMENT = 'faultline';

const CLEANUP = [
  'cleanup() {',
  '  tc qdisc del dev $DEV root 2>/dev/null',
  '  tc qdisc del dev $DEV ingress 2>/dev/null',
  `  ip link del ${IFB} 2>/dev/null`,
  `  while iptables -S INPUT 2>/dev/null | grep -q -- '--comment ${COMMENT}'; do`,
  `    iptables -D INPUT $(iptables -S INPUT | grep -- '--comment ${COMMENT}' | head -n1 | sed 's/^-A INPUT //') 2>/dev/null || break`,
  '  done',
  '  true',
  '}',
];

function qdiscFor(imp: Impairment): string | undefined {
  switch (imp.kind) {
    case 'latency':
      return `netem delay ${Math.round(imp.delayMs)}ms${imp.jitterMs > 0 ? ` ${Math.round(imp.jitterMs)}ms` : ''}`;
    case 'loss':
      return imp.mode === 'drop' ? `netem loss ${imp.percent}%` : undefined;
    case 'bandwidth':
      return `tbf rate ${Math.max(8, Math.round(imp.bytesPerSecond * 8))}bit burst 32kbit latency 400ms`;
    default:
      return undefined;
  }
}

export function supportsImpairment(imp: Impairment): boolean {
  return imp.kind === 'latency' || imp.kind === 'loss' || imp.kind === 'bandwidth';
}

/** What the helper does, in words, for `plan`. */
export function describeImpairment(imp: Impairment): string {
  if (imp.kind === 'loss' && imp.mode === 'reset') return `iptables: reset ${imp.percent}% of incoming TCP packets`;
  const dir = 'direction' in imp ? imp.direction : 'from';
  const where = dir === 'from' ? 'egress' : dir === 'to' ? 'ingress (via an ifb device)' : 'egress and ingress (via an ifb device)';
  return `tc ${qdiscFor(imp) ?? imp.kind} on ${where}`;
}

export function impairScript(imp: Impairment): string {
  const lines = [GUARD, DEV, ...CLEANUP, "trap 'cleanup; exit 0' TERM INT", 'set -e'];
  let applied: string;
  if (imp.kind === 'loss' && imp.mode === 'reset') {
    const p = (imp.percent / 100).toFixed(4);
    lines.push(`iptables -I INPUT -p tcp -m statistic --mode random --probability ${p} -m comment --comment ${COMMENT} -j REJECT --reject-with tcp-reset`);
    applied = `iptables -S INPUT | grep -q -- '--comment ${COMMENT}'`;
  } else {
    const qdisc = qdiscFor(imp);
    if (!qdisc) throw new Error(`the kubernetes driver cannot apply a ${imp.kind} impairment`);
    const dir = 'direction' in imp ? imp.direction : 'from';
    if (dir === 'from' || dir === 'both') lines.push(`tc qdisc replace dev $DEV root ${qdisc}`);
    if (dir === 'to' || dir === 'both') {
      lines.push(
        `ip link add ${IFB} type ifb 2>/dev/null || true`,
        `ip link set ${IFB} up`,
        'tc qdisc replace dev $DEV handle ffff: ingress',
        `tc filter replace dev $DEV parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev ${IFB}`,
        `tc qdisc replace dev ${IFB} root ${qdisc}`,
      );
    }
    applied = dir === 'to' ? `ip link show ${IFB} >/dev/null 2>&1` : "tc qdisc show dev $DEV | grep -Eq 'netem|tbf'";
  }
  lines.push('set +e', 'echo "faultline: impairment applied"');
  // Held until a restore helper removes it (the check fails) or the deadline passes.
  lines.push(`while [ "$(date +%s)" -lt "$FAULTLINE_DEADLINE" ] && ${applied}; do sleep 1; done`, 'cleanup', 'exit 0');
  return lines.join('\n');
}

export function restoreScript(): string {
  return [DEV, ...CLEANUP, 'cleanup', 'echo "faultline: impairment removed"', 'exit 0'].join('\n');
}

export function killScript(signal: string): string {
  // With targetContainerName the helper shares the target container's PID namespace: its PID 1.
  return [GUARD, `kill -s ${signal.replace(/^SIG/, '')} 1`].join('\n');
}
