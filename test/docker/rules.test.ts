// The pure parts of the Docker driver: rule text, chain names, /proc parsing, qdisc commands.
import { describe, expect, it } from 'vitest';
import { filterChain, partitionChain, redirectChain } from '../../src/drivers/docker/impairment-rules.js';
import { listeningPorts } from '../../src/drivers/docker/listeners.js';
import { netemToPeersArgs, parseLinks, tbfArgs } from '../../src/drivers/docker/qdisc.js';
import { addText, chainName, removeFromSaved, removeText, runTag } from '../../src/drivers/docker/rules.js';
import { chooseNetns } from '../../src/drivers/docker/netns.js';
import { nameMatcher, listFilters } from '../../src/drivers/docker/select.js';
import { ownContainerId } from '../../src/drivers/docker/self.js';

describe('faultline chains', () => {
  it('are named from the run id and what they do, within iptables\' limit', () => {
    expect(runTag('20261121-055738-abc123')).toBe('38abc123');
    expect(runTag('tpabc123')).toBe('tpabc123');
    const a = chainName('20261121-055738-abc123', 'partition x');
    expect(a).toMatch(/^FL-38abc123-[0-9a-f]{6}$/);
    expect(a.length).toBeLessThanOrEqual(28);
    expect(chainName('r1', 'partition x')).toBe(chainName('r1', 'partition x'));
    expect(chainName('r1', 'partition x')).not.toBe(chainName('r1', 'partition y'));
  });

  it('add declares, fills and jumps; fast removal deletes exactly that', () => {
    const spec = partitionChain(['10.0.0.2'], 'both', 'FL-r-1', 'faultline:run=r');
    expect(addText([spec])).toBe(
      '*filter\n:FL-r-1 - [0:0]\n-A FL-r-1 -d 10.0.0.2/32 -j DROP\n-A FL-r-1 -s 10.0.0.2/32 -j DROP\n' +
        '-I OUTPUT 1 -m comment --comment faultline:run=r -j FL-r-1\n-I INPUT 1 -m comment --comment faultline:run=r -j FL-r-1\nCOMMIT\n',
    );
    expect(removeText([spec])).toBe(
      '*filter\n-D OUTPUT -m comment --comment faultline:run=r -j FL-r-1\n-D INPUT -m comment --comment faultline:run=r -j FL-r-1\n-F FL-r-1\n-X FL-r-1\nCOMMIT\n',
    );
  });

  it('tolerant removal deletes only what iptables-save still shows, and leaves other rules', () => {
    const save = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':FL-r-1 - [0:0]',
      ':KEEP - [0:0]',
      '-A OUTPUT -m comment --comment "faultline:run=r" -j FL-r-1',
      '-A OUTPUT -j KEEP',
      '-A FL-r-1 -d 10.0.0.2/32 -j DROP',
      'COMMIT',
    ].join('\n');
    const ref = { table: 'filter' as const, chain: 'FL-r-1', hooks: ['INPUT' as const, 'OUTPUT' as const], comment: 'faultline:run=r' };
    expect(removeFromSaved(save, [ref])).toBe('*filter\n-D OUTPUT -m comment --comment "faultline:run=r" -j FL-r-1\n-F FL-r-1\n-X FL-r-1\nCOMMIT\n');
    expect(removeFromSaved('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', [ref])).toBe('');
  });

  it('loss, timeout, dns and the latency redirect have the rules their docs promise', () => {
    expect(filterChain({ kind: 'loss', percent: 25, mode: 'drop' }, 'C', 'c').rules).toEqual(['-o lo -j RETURN', '-m statistic --mode random --probability 0.250000 -j DROP']);
    expect(filterChain({ kind: 'loss', percent: 25, mode: 'reset' }, 'C', 'c').rules[1]).toBe('-p tcp -m statistic --mode random --probability 0.250000 -j REJECT --reject-with tcp-reset');
    expect(filterChain({ kind: 'timeout' }, 'C', 'c')).toMatchObject({ hooks: ['INPUT', 'OUTPUT'], rules: ['-o lo -j RETURN', '-i lo -j RETURN', '-j DROP'] });
    expect(filterChain({ kind: 'dns' }, 'C', 'c').rules).toEqual(['-p udp -m conntrack --ctorigdstport 53 -j DROP', '-p tcp -m conntrack --ctorigdstport 53 -j DROP']);
    expect(redirectChain([{ peerIp: '10.0.0.3', port: 6379, proxyIp: '10.0.0.1', proxyPort: 40000 }], 'C', 'c')).toMatchObject({
      table: 'nat',
      hooks: ['OUTPUT'],
      rules: ['-p tcp -d 10.0.0.3/32 --dport 6379 -j DNAT --to-destination 10.0.0.1:40000'],
    });
    expect(partitionChain(['10.0.0.2'], 'to', 'C', 'c')).toMatchObject({ hooks: ['OUTPUT'], rules: ['-d 10.0.0.2/32 -j DROP'] });
  });
});

describe('namespace facts', () => {
  it('reads listening ports bound to any address or to the peer', () => {
    const tcp = [
      '  sl  local_address rem_address   st',
      '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000',
      '   1: 0B00007F:8CA1 00000000:0000 0A 00000000:00000000',
      '   2: 0200000A:18EB 00000000:0000 0A 00000000:00000000',
      '   3: 0200000A:D431 0300000A:1F90 01 00000000:00000000',
      '   0: 00000000000000000000000000000000:1B58 00000000000000000000000000000000:0000 0A',
    ].join('\n');
    expect(listeningPorts(tcp, '10.0.0.2')).toEqual([6379, 7000, 8080]);
  });

  it('parses links with their veth peer index, and builds tbf and netem commands', () => {
    expect(parseLinks('1: lo: <LOOPBACK,UP> mtu 65536\n7: eth0@if8: <BROADCAST> mtu 1500\n')).toEqual([
      { index: 1, name: 'lo' },
      { index: 7, name: 'eth0', peerIndex: 8 },
    ]);
    expect(tbfArgs('eth0', 125_000)).toEqual(['tc', 'qdisc', 'add', 'dev', 'eth0', 'root', 'handle', 'f1a0:', 'tbf', 'rate', '1000000bit', 'burst', '3200', 'latency', '200ms']);
    const netem = netemToPeersArgs('eth0', 50, 5, ['10.0.0.3']);
    expect(netem[1]).toEqual(['tc', 'qdisc', 'add', 'dev', 'eth0', 'parent', 'f1a0:4', 'handle', 'f1a1:', 'netem', 'delay', '50ms', '5ms']);
    expect(netem[2]).toContain('10.0.0.3/32');
  });

  it('chooses how to enter namespaces, or says why it cannot', () => {
    const base = { helperImage: 'h:1', helperImagePresent: true, localEngine: true };
    expect(chooseNetns({ ...base, setting: 'auto', root: true })).toBe('nsenter');
    expect(chooseNetns({ ...base, setting: 'auto', root: false })).toBe('helper');
    expect(chooseNetns({ ...base, setting: 'auto', root: true, localEngine: false })).toBe('helper');
    expect(() => chooseNetns({ ...base, setting: 'auto', root: false, helperImagePresent: false })).toThrow(/not running as root.*h:1 is not present/);
    expect(() => chooseNetns({ ...base, setting: 'nsenter', root: true, localEngine: false })).toThrow(/not on this machine/);
    expect(() => chooseNetns({ ...base, setting: 'helper', root: true, helperImagePresent: false })).toThrow(/docker.netns is "helper" but the helper image h:1/);
  });
});

describe('selectors', () => {
  it('match names exactly or by /regex/, and push labels and network to the engine', () => {
    expect(nameMatcher('api')('api')).toBe(true);
    expect(nameMatcher('api')('api-1')).toBe(false);
    expect(nameMatcher('/^api-\\d$/')('api-1')).toBe(true);
    expect(listFilters({ labels: { a: 'b' }, compose: { project: 'p', service: 's' }, network: 'n' })).toEqual({
      label: ['a=b', 'com.docker.compose.project=p', 'com.docker.compose.service=s'],
      network: ['n'],
    });
  });

  it('recognise faultline\'s own container from /proc', () => {
    const id = 'a'.repeat(64);
    expect(ownContainerId((p) => (p.endsWith('mountinfo') ? `123 1 0:1 /var/lib/docker/containers/${id}/hostname /etc/hostname rw` : ''))).toBe(id);
    expect(ownContainerId(() => '0::/init.scope')).toBeUndefined();
  });
});

describe('plan lines', () => {
  it('say which latency mechanism will be used, and why', async () => {
    const { DockerNetwork } = await import('../../src/drivers/docker/network.js');
    const t = { driver: 'docker' as const, group: 'g', id: 'x', name: 'api', meta: {} };
    const imp = { kind: 'latency' as const, delayMs: 40, jitterMs: 5, direction: 'from' as const };
    const net = (known: boolean | undefined) =>
      new DockerNetwork({ docker: {} as never, access: () => Promise.reject(new Error('unused')), accessMode: () => 'nsenter', netem: { known: () => known, available: async () => known ?? false }, selfId: undefined });
    expect(net(true).describe(t, imp)).toBe("latency +40ms ±5ms on api's traffic to every container sharing a network with it via tc netem (namespace entered with nsenter)");
    expect(net(false).describe(t, imp)).toMatch(/^latency \+40ms ±5ms via delaying proxy \(kernel has no netem qdisc\)/);
    expect(net(undefined).describe(t, imp)).toMatch(/netem support not probed yet/);
    expect(net(true).describe(t, { kind: 'bandwidth', bytesPerSecond: 1000, direction: 'to' })).toMatch(/tbf qdisc on the host side of its veth/);
  });
});
