// The lease the scheduler's leader election runs over: declared here so that schedule/ (which uses it)
// and drivers/kubernetes (which implements it with a coordination.k8s.io/v1 Lease) both depend downwards.

export interface LeaseRecord {
  holder: string;
  durationSeconds: number;
  acquireTime?: number;
  renewTime?: number;
  transitions: number;
  /** Optimistic-concurrency token: a replace with a stale one fails with a conflict. */
  version: string;
}

/** The port a lease store implements; the Kubernetes adapter is drivers/kubernetes/lease-store.ts, built by the CLI. */
export interface LeaseStore {
  /** undefined when the lease does not exist. */
  read(): Promise<LeaseRecord | undefined>;
  /** Rejects with a conflict when it already exists. */
  create(record: Omit<LeaseRecord, 'version'>): Promise<LeaseRecord>;
  /** Rejects with a conflict when `record.version` is stale. */
  replace(record: LeaseRecord): Promise<LeaseRecord>;
}
