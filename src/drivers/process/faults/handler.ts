// What a process-driver fault handler declares beyond the common contract: how a held fault ends
// if faultline dies. Either the detached watchdog acts on the service's process group (it runs
// without the driver, from the ledger), or it replays the handler's revert from the undo record,
// or the fault lives in faultline's own fault proxy and ends with it.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { FaultHandler } from '../../fault-handler.js';
import type { ProcessDriver } from '../process-driver.js';

/**
 * What pause, kill and restart change (FaultHandler.touches): the service's process group. A kill
 * or restart during a pause would replace the paused process, and the pause's SIGCONT would end
 * another pause early.
 */
export const PROCESS_GROUP = 'process group';

export interface ProcessFaultHandler<K extends FaultKind, U> extends FaultHandler<K, ProcessDriver, U> {
  /** What the watchdog does to a service's process group (by its leader's pid) once the fault outlived its time to live. */
  watchdog?(pid: number): void;
  /** At expiry the watchdog plays the handler's own revert from the undo record (a command fault's revert command). */
  watchdogReverts?: true;
  /** The fault lives in faultline's own process (the fault proxy): it ends the instant faultline does. */
  endsWithFaultline?: true;
  /** It acts on the links leading to its target, not on the process: the spec checks that one exists. */
  throughLinks?: true;
}
