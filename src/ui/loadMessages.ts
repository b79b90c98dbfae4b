/**
 * The messages between the app and the loading job (loadJob.ts, in loadWorker.ts or on the main
 * thread), and what the main thread does with them. Kept apart from the job so that the main
 * bundle does not carry the parsers.
 */
import type { LoadProgress } from '../data/bundle';
import type { Dataset } from '../data/dataset';
import { InputError, type InputProblem } from '../data/errors';

export type LoadRequest =
  | { readonly id: number; readonly kind: 'demo' }
  /** `base`: the bundle folder's absolute address. */
  | { readonly id: number; readonly kind: 'url'; readonly base: string }
  | { readonly id: number; readonly kind: 'files'; readonly files: readonly { name: string; bytes: Uint8Array }[] }
  /** The first year has been drawn: job `id` may parse the other years now. */
  | { readonly id: number; readonly kind: 'continue' };

export type WireError = { readonly inputError: InputProblem } | { readonly message: string };

/** What the main thread already holds from the first-year message, left out of the final one. */
export interface Reused {
  readonly boundaries: readonly string[];
  readonly tiles: readonly string[];
  readonly years: readonly number[];
}

export type LoadReply =
  | { readonly id: number; readonly kind: 'progress'; readonly progress: LoadProgress }
  | { readonly id: number; readonly kind: 'first-year'; readonly dataset: Dataset }
  | { readonly id: number; readonly kind: 'done'; readonly dataset: Dataset; readonly reused: Reused }
  | { readonly id: number; readonly kind: 'error'; readonly error: WireError };

export function toWireError(e: unknown): WireError {
  return e instanceof InputError ? { inputError: e.problem } : { message: (e as Error)?.message ?? String(e) };
}

export function fromWireError(e: WireError): Error {
  return 'inputError' in e ? new InputError(e.inputError) : new Error(e.message);
}

/** The final dataset with the first year's objects put back: the same objects, so nothing is drawn twice. */
export function withReused(d: Dataset, reused: Reused, first: Dataset | null): Dataset {
  if (!first) return d;
  const boundaries = new Map(d.boundaries);
  for (const k of reused.boundaries) boundaries.set(k, first.boundaries.get(k)!);
  const tiles = new Map(d.tiles ?? []);
  for (const k of reused.tiles) tiles.set(k, first.tiles!.get(k)!);
  const years = d.years.map((y) => (reused.years.includes(y.year) ? { ...y, table: first.years.find((f) => f.year === y.year)!.table } : y));
  // The join reports were made in the worker from the same tables: keep them, in the final order.
  return { ...d, boundaries, tiles, years };
}
