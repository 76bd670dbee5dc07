// `faultline import` of real Chaos Toolkit experiments (test/fixtures/import/chaos-toolkit, from
// the Chaos Toolkit repositories and documentation): what maps, to what, what is not imported and
// why, each at file:line:col; every file written passes the real `faultline validate`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importAndValidate, removeTempDirs, tempDir } from './support.js';

const FIXTURES = 'test/fixtures/import/chaos-toolkit';
const fixture = (name: string) => path.join(FIXTURES, name);
afterAll(removeTempDirs);

describe('faultline import: Chaos Toolkit', () => {
  it('maps process probes, os.path.exists and a process action, with nothing left out', async () => {
    const file = fixture('check-file-exists.json');
    const r = await importAndValidate([file]);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.imported.stdout).toContain(`${file}:10:30: probe "list-all-files-in-directory": tolerance 0 → exitCode 0`);
    expect(r.imported.stdout).toContain(`${file}:20:29: python provider os.path.exists ("check-file-exists") → probe exec \`test -e tests/conftest.py\``);
    expect(r.imported.stdout).toContain(`${file}:32:9: action "touch-file" → fault touch-file at 0s`);
    expect(r.imported.stdout).not.toContain('NOT IMPORTED');
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    const text = r.text('check-file-exists.yaml');
    expect(text).toMatch(/driver: process/);
    expect(text).toMatch(/steadyState: \[ list-all-files-in-directory, check-file-exists \]/);
    expect(text).toMatch(/- name: touch-file\n\s+command:\n\s+run: \[ touch, tests\/conftest.py \]\n\s+at: 0s/);
    expect(text).toMatch(/^# {3}- recovery: \{ probe: list-all-files-in-directory, within: 30s \}$/m);
    expect(text).not.toMatch(/^\s*objectives:/m);
  });

  it('turns pauses into offsets and rollbacks (refs included) into the revert of a held fault; a gap needs --partial', async () => {
    for (const name of ['walkthrough-experiment.json', 'walkthrough-experiment.yaml']) {
      const file = fixture(name);
      const refused = await importAndValidate([file]);
      expect(refused.imported.code).toBe(2);
      expect(refused.written).toEqual([]);
      expect(refused.imported.stdout).toMatch(/NOT IMPORTED {2}.*: probe "we-can-request-sunset": verify_tls false: faultline's http probe always verifies certificates/);

      const r = await importAndValidate([file], { partial: true });
      expect(r.imported.code, r.imported.stderr).toBe(0);
      expect(r.validated?.code, r.validated?.stderr).toBe(0);
      const text = r.text('walkthrough-experiment.yaml');
      expect(text).toContain('# NOT IMPORTED (');
      expect(text).toMatch(/url: https:\/\/localhost:8443\/city\/Paris/);
      expect(text).toMatch(/- name: rollbacks\n\s+command:\n\s+run: \[ "true" \]\n\s+revert: \[ sh, -c, "?cp valid-cert.pem cert.pem; pkill .*echo.* -HUP -F astre.pid; pkill .*echo.* -HUP -F sunset.pid"? \]\n\s+at: 0s\n\s+for: 2s/);
      expect(r.imported.stdout).toContain('start together at 0s: Chaos Toolkit ran them one after the other');
    }
  });

  it('maps a status list tolerance and os.rename; refuses what it cannot map with the provider and its line', async () => {
    const chapter5 = await importAndValidate([fixture('chapter5-experiment.json')]);
    expect(chapter5.imported.code, chapter5.imported.stdout).toBe(0);
    expect(chapter5.validated?.code, chapter5.validated?.stderr).toBe(0);
    expect(chapter5.text('chapter5-experiment.yaml')).toMatch(/status: \[ 200, 503 \]/);
    expect(chapter5.text('chapter5-experiment.yaml')).toMatch(/run: \[ mv, .\/exchange.dat, .\/exchange.dat.old \]/);

    const chapter6 = fixture('chapter6-experiment.json');
    const refused = await importAndValidate([chapter6], { partial: true });
    expect(refused.imported.code).toBe(2);
    expect(refused.written).toEqual([]);
    expect(refused.imported.stdout).toContain(`${chapter6}:26:29: python provider chaosk8s.pod.probes.pods_in_phase ("pods_in_phase") → probe k8s-ready: every pod {"biz-app-id":"retail"} in default in phase Running (at least one)`);
    expect(refused.imported.stdout).toContain(`${chapter6}:43:25: python provider chaosk8s.node.actions.drain_nodes ("drain_node"): faultline does not drain nodes`);
    expect(refused.imported.stderr).toContain('not written: no fault could be imported');
  });

  it('maps chaosk8s terminate_pods and a microservice probe, and names the argument it cannot keep', async () => {
    const file = fixture('chaosk8s-readme.json');
    const r = await importAndValidate([file], { partial: true });
    expect(r.imported.code).toBe(2);
    expect(r.imported.stdout).toContain(`${file}:12:29: python provider chaosk8s.probes.microservice_available_and_healthy ("all-our-microservices-should-be-healthy") → probe k8s-ready of Deployment myapp`);
    expect(r.imported.stdout).toContain(`${file}:27:25: python provider chaosk8s.pod.actions.terminate_pods ("terminate-db-pod"): name_pattern "my-app-[0-9]$": faultline selects Kubernetes pods by exact name, labels or fields, not by a pattern`);
  });

  it('maps pods_in_phase to a k8s-ready probe over the pods the labels select, and refuses a selector it cannot keep', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'pods-in-phase.json');
    const probe = (name: string, args: Record<string, unknown>) => ({ type: 'probe', name, tolerance: true, provider: { type: 'python', module: 'chaosk8s.pod.probes', func: 'pods_in_phase', arguments: args } });
    const kill = { type: 'action', name: 'kill-one', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods', arguments: { label_selector: 'app=web', ns: 'shop', qty: 1, rand: true } } };
    writeFileSync(file, JSON.stringify({ title: 'web pods survive a kill', description: 'written for this test', 'steady-state-hypothesis': { title: 'all running', probes: [probe('web-running', { label_selector: 'app=web,tier=front', ns: 'shop' })] }, method: [kill] }, null, 2));
    const r = await importAndValidate([file]);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.imported.stdout).toContain('→ probe k8s-ready: every pod {"app":"web","tier":"front"} in shop in phase Running (at least one)');
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    expect(r.text('pods-in-phase.yaml')).toMatch(/k8s-ready:\n\s+kind: Pod\n\s+labels:\n\s+app: web\n\s+tier: front\n\s+phase: Running\n\s+namespace: shop/);

    const setBased = path.join(dir, 'set-based.json');
    writeFileSync(setBased, JSON.stringify({ title: 't', description: 'd', 'steady-state-hypothesis': { title: 's', probes: [probe('p', { label_selector: 'app in (web,api)' })] }, method: [kill] }, null, 2));
    const refused = await importAndValidate([setBased]);
    expect(refused.imported.code).toBe(2);
    expect(refused.imported.stdout).toContain(`python provider chaosk8s.pod.probes.pods_in_phase ("p"): label_selector "app in (web,api)": only "key=value,..." selectors are imported`);
  });

  it('maps a jsonpath tolerance on an http probe to expect.json, and the file validates', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'jsonpath.json');
    writeFileSync(file, JSON.stringify({
      title: 'health stays ok', description: 'written for this test',
      'steady-state-hypothesis': { title: 'ok', probes: [{ type: 'probe', name: 'health', tolerance: { type: 'jsonpath', target: 'body', path: '$.checks[0].status', expect: 'UP' }, provider: { type: 'http', url: 'http://127.0.0.1:8080/health' } }] },
      method: [{ type: 'action', name: 'touch', provider: { type: 'process', path: 'touch', arguments: ['flag'] } }],
    }, null, 2));
    const r = await importAndValidate([file]);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.imported.stdout).toContain('probe "health": jsonpath tolerance → expect.json: $.checks[0].status equals "UP"');
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    expect(r.text('jsonpath.yaml')).toMatch(/json:\n\s+path: \$\.checks\[0\]\.status\n\s+equals: UP/);
  });

  it('maps a Toxiproxy proxy to an external service behind a link and its toxics to link faults; names what it cannot map, with its line', async () => {
    // Written for this test from chaostoolkit-toxiproxy's documented activities (create_proxy:
    // proxy_name, upstream_host/port, listen_host/port; toxics: for_proxy, toxic_name, ...): a
    // search of the public repositories found their documentation, not a complete experiment.
    const dir = tempDir();
    const activity = (name: string, module: string, func: string, args: object, pauses?: object) => ({ type: 'action', name, provider: { type: 'python', module, func, arguments: args }, ...(pauses ? { pauses } : {}) });
    const proxy = activity('create-proxy', 'chaostoxi.proxy.actions', 'create_proxy', { proxy_name: 'db', listen_host: '127.0.0.1', listen_port: 25432, upstream_host: '127.0.0.1', upstream_port: 5432 });
    const file = path.join(dir, 'toxiproxy.json');
    writeFileSync(file, JSON.stringify({
      title: 'slow database', description: 'written for this test',
      method: [
        proxy,
        activity('slow-db', 'chaostoxi.toxic.actions', 'create_latency_toxic', { for_proxy: 'db', toxic_name: 'slow', latency: 500, jitter: 50 }, { after: 5 }),
        activity('unslow-db', 'chaostoxi.toxic.actions', 'delete_toxic', { for_proxy: 'db', toxic_name: 'slow' }),
        activity('thin-db', 'chaostoxi.toxic.actions', 'create_bandwith_degradation_toxic', { for_proxy: 'db', toxic_name: 'thin', rate: 100 }, { after: 3 }),
      ],
      rollbacks: [activity('delete-proxy', 'chaostoxi.proxy.actions', 'delete_proxy', { proxy_name: 'db' })],
    }, null, 2));
    const r = await importAndValidate([file]);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.imported.stdout).not.toContain('NOT IMPORTED');
    expect(r.imported.stdout).toContain('action "create-proxy" → external service db-upstream (127.0.0.1:5432) behind link db listening on 127.0.0.1:25432');
    expect(r.imported.stdout).toContain('action "unslow-db" → the end of toxic "slow" on db: fault slow-db is held for 5s');
    expect(r.imported.stdout).toContain('toxic db/thin is held until 1s after the last method step starts (4s)');
    expect(r.imported.stdout).toContain('rollback "delete-proxy" → nothing to play');
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    const text = r.text('toxiproxy.yaml');
    expect(text).toMatch(/- name: slow-db\n\s+latency:\n\s+target: db-upstream\n\s+delay: 500ms\n\s+jitter: 50ms\n\s+direction: from\n\s+at: 0s\n\s+for: 5s/);
    expect(text).toMatch(/- name: thin-db\n\s+bandwidth:\n\s+target: db-upstream\n\s+rate: 100KB\/s\n\s+at: 5s\n\s+for: 4s/);
    expect(text).toMatch(/services:\n\s+db-upstream:\n\s+external: true\n\s+links:\n\s+db:\n\s+to: db-upstream\n\s+listen: 127.0.0.1:25432\n\s+upstream: 127.0.0.1:5432/);

    const gaps = path.join(dir, 'toxiproxy-gaps.json');
    writeFileSync(gaps, JSON.stringify({
      title: 'toxics faultline has not', description: 'written for this test',
      method: [
        activity('no-port', 'chaostoxi.proxy.actions', 'create_proxy', { proxy_name: 'cache', upstream_host: '127.0.0.1', upstream_port: 6379 }),
        proxy,
        activity('sometimes', 'chaostoxi.toxic.actions', 'create_latency_toxic', { for_proxy: 'db', toxic_name: 'slow', latency: 500, toxicity: 0.5 }),
        activity('slices', 'chaostoxi.toxic.actions', 'create_slicer_toxic', { for_proxy: 'db', toxic_name: 'cut', average_size: 10 }),
        activity('unknown-proxy', 'chaostoxi.toxic.actions', 'create_timeout_toxic', { for_proxy: 'mq', toxic_name: 'off', timeout: 0 }),
        // Created twice: the second would have replaced the first's service and link without a word.
        activity('again', 'chaostoxi.proxy.actions', 'create_proxy', { proxy_name: 'db', listen_port: 25433, upstream_host: '127.0.0.1', upstream_port: 5433 }),
        activity('slow-db', 'chaostoxi.toxic.actions', 'create_latency_toxic', { for_proxy: 'db', toxic_name: 'lag', latency: 100 }),
        // Added again before its delete_toxic: the first would never have got its end.
        activity('slow-db-again', 'chaostoxi.toxic.actions', 'create_latency_toxic', { for_proxy: 'db', toxic_name: 'lag', latency: 200 }),
      ],
    }, null, 2));
    const g = await importAndValidate([gaps], { partial: true });
    // --partial writes what could be mapped (the first proxy and its first toxic), naming the rest.
    expect(g.imported.code, g.imported.stdout + g.imported.stderr).toBe(0);
    expect(g.imported.stdout).toContain(`NOT IMPORTED  ${gaps}:8:19: python provider chaostoxi.proxy.actions.create_proxy ("no-port"): create_proxy without a listen_port`);
    expect(g.imported.stdout).toMatch(/NOT IMPORTED {2}\S+:\d+:19: python provider chaostoxi.toxic.actions.create_latency_toxic \("sometimes"\): toxicity 0.5: faultline's link faults act on every connection/);
    expect(g.imported.stdout).toMatch(/NOT IMPORTED {2}\S+:\d+:19: python provider chaostoxi.toxic.actions.create_slicer_toxic \("slices"\): faultline has no fault for create_slicer_toxic/);
    expect(g.imported.stdout).toMatch(/NOT IMPORTED {2}\S+:\d+:19: python provider chaostoxi.toxic.actions.create_timeout_toxic \("unknown-proxy"\): proxy "mq" is not created by an earlier create_proxy/);
    expect(g.imported.stdout).toMatch(/NOT IMPORTED {2}\S+:\d+:19: python provider chaostoxi.proxy.actions.create_proxy \("again"\): proxy "db" is created twice/);
    expect(g.imported.stdout).toMatch(/NOT IMPORTED {2}\S+:\d+:\d+: action "slow-db-again": toxic db\/lag is added again before a delete_toxic of it/);
    expect(g.text('toxiproxy-gaps.yaml')).toMatch(/upstream: 127.0.0.1:5432\n/);
    expect(g.text('toxiproxy-gaps.yaml')).toMatch(/delay: 100ms/);
    expect(g.text('toxiproxy-gaps.yaml')).not.toMatch(/delay: 200ms|5433/);
  });

  it('resolves configuration from the environment where faultline cannot read it when it runs', async () => {
    const file = fixture('kill-pods-experiment.json');
    const unset = await importAndValidate([file], { partial: true }, {});
    expect(unset.imported.code).toBe(2);
    expect(unset.imported.stdout).toContain(`${file}:46:28: "\${service_url}" reads APPLICATION_ENTRYPOINT_URL, which is not set and has no default, where faultline cannot read the environment when it runs`);

    const env = { APPLICATION_ENTRYPOINT_URL: 'http://127.0.0.1:9/health', POD_LABEL: 'app=web', POD_NAMESPACE: 'shop' };
    const r = await importAndValidate([file], {}, env);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    const text = r.text('kill-pods-experiment.yaml');
    expect(text).toMatch(/driver: kubernetes/);
    expect(text).toMatch(/url: http:\/\/127.0.0.1:9\/health/);
    expect(text).toMatch(/terminate-pods:\n\s+selector:\n\s+namespaces: \[ shop \]\n\s+labels:\n\s+app: web\n\s+pick:\n\s+count: 2/);
    expect(text).toMatch(/pod-delete:\n\s+target: terminate-pods/);
    expect(text).toMatch(/timeout: 500ms/);
    expect(r.imported.stdout).toContain('service_url resolved now from APPLICATION_ENTRYPOINT_URL');
  });

  it('says what it leaves out of an experiment built on extensions, and writes nothing without a fault', async () => {
    const file = fixture('rollout-v2-service2.json');
    const r = await importAndValidate([file], { partial: true });
    expect(r.imported.code).toBe(2);
    expect(r.written).toEqual([]);
    expect(r.imported.stdout).toContain(`${file}:40:17: controls (code Chaos Toolkit runs around each activity): faultline has no such hooks`);
    expect(r.imported.stdout).toContain(`${file}:84:25: python provider chaosk8s.deployment.actions.set_deployment_image ("initiate-rollout-v2-of-service2"): faultline has no equivalent`);
    expect(r.imported.stdout).toContain(`${file}:137:9: rollback "rollback-service3-update": python provider chaosk8s.deployment.actions.rollback_deployment: faultline has no equivalent`);
  });

  it('marks runtime strategies and activity controls as not imported, and the rest stays valid', async () => {
    const runtime = fixture('override-rollbacks-runtime-strategy.json');
    const interactive = fixture('simple-interactive-experiment.json');
    const deviated = fixture('check-file-exists-deviated.json');
    const r = await importAndValidate([runtime, interactive, deviated], { partial: true });
    expect(r.imported.code, r.imported.stderr).toBe(0);
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    expect(r.imported.stdout).toContain(`${runtime}:4:16: runtime (when Chaos Toolkit plays rollbacks and the hypothesis): faultline always reverts every fault`);
    expect(r.imported.stdout).toContain(`${interactive}:39:25: "method-activity": controls (code Chaos Toolkit runs around the activity): faultline has no such hooks`);
    expect(r.text('override-rollbacks-runtime-strategy.yaml')).toMatch(/revert: \[ cat, tests\/conftest.py \]/);
    expect(r.text('simple-interactive-experiment.yaml')).toMatch(/command: \[ echo, updated \]/);
    expect(r.text('check-file-exists-deviated.yaml')).toMatch(/run: \[ rm, tests\/fixtures\/dummy.txt \]/);
  });
});
