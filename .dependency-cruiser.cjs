// The dependency rules of ARCHITECTURE.md, checked on every `npm test` (and `npm run lint:deps`).
// The shape: cli -> engine -> (targets, faults, probes, workloads, slo, journal, ledger, schedule)
// -> driver port (src/drivers/driver.ts) -> domain. Concrete drivers are built in cli/ only.
// A rule with severity "warn" is one another branch satisfies; the lead turns it to "error" after
// merging that branch. Everything else is "error".

/** Node built-ins and packages that reach outside the process: network, processes, containers, clusters. */
const NETWORK_AND_PROCESS_IO = [
  '^(node:)?(child_process|net|dgram|tls|http|https|http2|dns|cluster|worker_threads)$',
  // npm packages are matched by where they resolve (their types, for a type-only import).
  '(^|/)node_modules/(@types/)?(dockerode|@kubernetes/client-node|undici|ioredis|pg|prom-client)/',
  '(^|/)node_modules/@opentelemetry/exporter-',
];
/** What a pure folder must not touch either: the file system, the operating system, time sources. */
const FILE_AND_OS_IO = ['^(node:)?(fs|fs/promises|os|readline|readline/promises|perf_hooks|process|v8|vm)$'];

/** The concrete drivers (adapters), as opposed to the port in src/drivers/driver.ts. */
const CONCRETE_DRIVERS = '^src/drivers/(docker|kubernetes|process)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No module-level import cycles at run time. A cycle made only of type imports is allowed: a driver and its fault handlers name each other (the driver holds the registry, a handler is typed by the driver it acts on), and types are erased, so load order cannot break.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      scope: 'folder',
      comment: 'No folder-level cycles (drivers <-> probes, drivers <-> schedule, spec <-> schedule...).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'domain/ is the vocabulary everything else uses: it imports nothing of ours outside domain/.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'pure-folders-do-no-io',
      severity: 'error',
      comment: 'domain/, slo/, report/ and import/ are pure functions of their input: no network, process, file or OS access.',
      from: { path: '^src/(domain|slo|report|import)/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: [...NETWORK_AND_PROCESS_IO, ...FILE_AND_OS_IO] },
    },
    {
      name: 'network-and-process-io-only-in-drivers',
      severity: 'error',
      comment:
        'Only drivers/ reach containers, clusters, processes and the network. Exceptions, each for what it is: ' +
        'proxy/ (node:net: it IS a userspace TCP proxy the process and Docker drivers place on a link); ' +
        'checks/ (node:http/https/net: one HTTP or TCP attempt against the service, from the observer; probes, where conditions and process readiness use it); ' +
        'workloads/ (undici/ioredis/pg: generating the load a workload measures is talking to the service); ' +
        'observers/ (undici: reading the team\'s own alerts from Alertmanager or Prometheus is talking to them); ' +
        'cli/ (node:http for the `schedule run` metrics endpoint, see the next rule); ' +
        'schedule/metrics.ts (prom-client registry: metrics are values, the HTTP endpoint itself lives in cli/); ' +
        'telemetry/ (Grafana annotations, the OTLP trace exporter, the Pushgateway: sending a finished run where the team looks is what it is for).',
      from: { path: '^src/', pathNot: ['^src/drivers/', '^src/proxy/', '^src/checks/', '^src/workloads/', '^src/observers/', '^src/cli/', '^src/schedule/metrics[.]ts$', '^src/telemetry/', '^src/runtime/late-builtins[.]ts$'] },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: NETWORK_AND_PROCESS_IO },
    },
    {
      name: 'late-builtins-only-where-http-is-allowed',
      severity: 'error',
      comment:
        'runtime/late-builtins.ts loads node:http/https on first use (a module that loads them as it is evaluated cannot be in the start-up snapshot, docs/start-up.md). ' +
        'It is a way of loading them, not a way around the rules above: only what may use HTTP imports it.',
      from: { path: '^src/', pathNot: ['^src/drivers/', '^src/checks/', '^src/workloads/', '^src/observers/', '^src/telemetry/', '^src/cli/(schedule-metrics-server|console-server)[.]ts$'] },
      to: { path: '^src/runtime/late-builtins[.]ts$' },
    },
    {
      name: 'cli-network-and-process-io-only-where-justified',
      severity: 'error',
      comment: 'cli/ may open the metrics endpoint (schedule-metrics-server.ts) and the live console (console-server.ts); everything else it does through drivers/ (the watchdog is spawned by drivers/process/detached.ts).',
      from: { path: '^src/cli/', pathNot: '^src/cli/(schedule-metrics-server|console-server)[.]ts$' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: NETWORK_AND_PROCESS_IO },
    },
    {
      name: 'engine-knows-only-the-driver-port',
      severity: 'error',
      comment: 'The engine talks to drivers through src/drivers/driver.ts; a concrete driver is passed in.',
      from: { path: '^src/engine/' },
      to: { path: CONCRETE_DRIVERS },
    },
    {
      name: 'only-cli-builds-concrete-drivers',
      severity: 'error',
      comment: 'Concrete drivers are constructed by cli/ (or a library user through the package entry points src/index.ts and src/drivers/<driver>/index.ts) and passed in.',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/drivers/', '^src/index[.]ts$'] },
      to: { path: CONCRETE_DRIVERS },
    },
    {
      name: 'drivers-do-not-know-each-other',
      severity: 'error',
      comment: 'A driver shares code with another only through src/drivers/*.ts or src/drivers/host/ (shared host helpers), never by importing the other driver.',
      from: { path: '^src/drivers/(docker|kubernetes|process)/' },
      to: { path: CONCRETE_DRIVERS, pathNot: '^src/drivers/$1/' },
    },
    {
      name: 'drivers-do-not-import-the-layers-above',
      severity: 'error',
      comment: 'drivers/ implement ports; they do not call the engine, the CLI, probes, faults, the schedule or reports. A port a layer above needs from a driver (the scheduler\'s LeaseStore) is declared in domain/, so both depend downwards.',
      from: { path: '^src/drivers/' },
      to: { path: '^src/(cli|engine|faults|probes|targets|schedule|spec|report|slo|journal|ledger|workloads|observers)/' },
    },
    {
      name: 'observers-know-only-the-domain',
      severity: 'error',
      comment: 'observers/ are clients of Alertmanager and Prometheus implementing the AlertSource port of domain/alerts.ts; judging what they read is slo/\'s, recording it the engine\'s.',
      from: { path: '^src/observers/' },
      to: { path: '^src/', pathNot: '^src/(observers|domain)/' },
    },
    {
      name: 'report-does-not-import-engine',
      severity: 'error',
      comment: 'report/ renders data (a journal, a Plan); the types it renders live in domain/.',
      from: { path: '^src/report/' },
      to: { path: '^src/(engine|cli|drivers|faults|probes|targets|ledger|schedule|spec|observers)/' },
    },
    {
      name: 'slo-is-pure-over-domain',
      severity: 'error',
      comment: 'slo/ judges samples and histories: it depends on domain/ only.',
      from: { path: '^src/slo/' },
      to: { path: '^src/', pathNot: '^src/(slo|domain)/' },
    },
    {
      name: 'import-converts-over-domain-only',
      severity: 'error',
      comment: 'import/ turns other tools\' files into faultline files (text in, drafts out): it depends on domain/ only; reading, writing and validating are cli/\'s.',
      from: { path: '^src/import/' },
      to: { path: '^src/', pathNot: '^src/(import|domain)/' },
    },
    {
      name: 'nothing-below-cli-imports-cli',
      severity: 'error',
      comment: 'cli/ is the top of the tree. library/ is a second front end beside it (experiment().run() runs exactly what `faultline run` runs, through runLoaded), and the package entry points re-export it.',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/library/', '^src/(index|vitest|jest)[.]ts$'] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-cli-publishes-runs',
      severity: 'error',
      comment: 'telemetry/ publishes a run (annotations, traces, pushed metrics) from its journal; the CLI composes it (or a library user through src/index.ts). The engine never knows: it writes the journal, and a listener follows it.',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/telemetry/', '^src/index[.]ts$'] },
      to: { path: '^src/telemetry/' },
    },
    {
      name: 'telemetry-reads-the-record-only',
      severity: 'error',
      comment: 'telemetry/ works from the journal and its events (domain/, journal/), renders with report/, and counts with the scheduler\'s metric definitions (schedule/metrics.ts) so both publish the same names; it never acts on a run.',
      from: { path: '^src/telemetry/' },
      to: { path: '^src/', pathNot: ['^src/(telemetry|domain|journal|report)/', '^src/schedule/metrics[.]ts$'] },
    },
    {
      name: 'engine-does-not-import-spec',
      severity: 'error',
      comment: 'The engine runs a validated experiment; reading and checking files is the CLI\'s business before it. Fault names and kinds come from the catalog in domain/.',
      from: { path: '^src/engine/' },
      to: { path: '^src/spec/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: { path: ['^src/', 'node_modules', '^(node:)?[a-z_/]+$'] },
    // Type-only imports are dependencies too: a type in the wrong folder is a design in the wrong folder.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
