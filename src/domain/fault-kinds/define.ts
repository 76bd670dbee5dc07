// What a fault kind is, independently of any driver: the parameters the file format accepts (the
// zod schema the JSON Schema is generated from), whether it is instant, which victims it acts on
// and how `plan` describes it. Each driver says separately how it injects and reverts the kinds
// it supports (src/drivers/<driver>/faults/).
import { z } from 'zod';
import type { DriverName, Target } from '../model.js';
import { Name } from '../schema-helpers.js';

export const d = (text: string) => ({ description: text });

/** The `target` field most kinds share. */
export const target = Name.meta(d('The target (from spec.targets) the fault acts on; every selected victim is hit.'));
/** A side of a partition. */
export const group = Name.meta(d('A target name, or on the process driver a service name.'));
export const Direction = z.enum(['to', 'from', 'both']);

export type Groups = ReadonlyMap<string, Target[]>;

export interface FaultKindDef<S extends z.ZodType = z.ZodType> {
  params: S;
  /** Parameters of one fault of this kind as a file gives them (targets "a" and "b"): what the completeness test describes. */
  example: z.input<S>;
  /**
   * Instant faults (kill, restart) have nothing to hold; their reference instant is the injection.
   * Every other kind is held for `for` and then reverted. A kind that is either, depending on its
   * parameters (a command with or without `revert`), says which from them.
   */
  instant: boolean | ((params: z.output<S>) => boolean);
  /**
   * The victims this fault acts on, one inject call each. Absent when only the driver can say
   * (a scaled workload is named by the driver): every driver claiming the kind then provides it.
   */
  victims?(params: z.output<S>, groups: Groups, driver: DriverName): Target[];
  /** One line per victim for `plan`: what will be done, and how it is undone. A driver may say more (its mechanism). */
  describe(victim: Target, params: z.output<S>, groups: Groups): string;
}

/** Keeps the schema's exact type, so FaultParams<K> is precise. */
export function defineFaultKind<S extends z.ZodType>(def: FaultKindDef<S>): FaultKindDef<S> {
  return def;
}

/** The victims of a kind whose params name one target group. */
export function targetVictims(params: { target: string }, groups: Groups): Target[] {
  return [...(groups.get(params.target) ?? [])];
}

export const NOTHING_TO_REVERT = 'nothing to revert';
