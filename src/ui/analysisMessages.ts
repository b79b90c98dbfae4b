/**
 * The messages between the app and the analysis worker (analysisWorker.ts): the work the app does
 * after the map is drawn — the uncertainty sample (METHOD §6), the UDP typology from UDP's files — and its results. Kept apart from the job (analysisJob.ts) so that the main
 * bundle does not carry the work itself. The uncertainty of 85,000 tracts crosses packed (one
 * Float64Array, moved), not as 85,000 objects for the structured clone to walk on both sides.
 */
import type { IncomeSnapshot, YearAnalysis } from '../core/analyze';
import { DIVERSITY_CLASSES, type DiversityClass } from '../core/entropy';
import type { TractUncertainty } from '../core/uncertainty';
import type { UdpTractResult } from '../core/udp';
import type { UdpRegionFiles } from '../data/udpInputs';
import type { WireError } from './loadMessages';

export type AnalysisJob =
  | {
      readonly kind: 'uncertainty';
      readonly snapshot: Pick<IncomeSnapshot, 'set' | 'counts' | 'moe'>;
      readonly analysis: Pick<YearAnalysis, 'geoids' | 'groups' | 'cutsDollars' | 'classes' | 'minHouseholds'>;
    }
  | { readonly kind: 'udp'; readonly files: UdpRegionFiles };

export type AnalysisKind = AnalysisJob['kind'];

/** What each job gives back, as the app uses it. */
export interface AnalysisResults {
  uncertainty: readonly TractUncertainty[] | null;
  udp: readonly UdpTractResult[];
}

export type AnalysisRequest = { readonly id: number; readonly kind: 'job'; readonly job: AnalysisJob };

export type AnalysisReply =
  | { readonly id: number; readonly kind: 'progress'; readonly text: string }
  | { readonly id: number; readonly kind: 'result'; readonly result: unknown }
  | { readonly id: number; readonly kind: 'error'; readonly error: WireError };

/** Values per unit in a packed uncertainty: H low, H high, one probability per class, uncertain (0/1). */
const STRIDE = 2 + DIVERSITY_CLASSES.length + 1;

export interface PackedUncertainty {
  readonly packed: 'uncertainty';
  readonly values: Float64Array;
}

export function packUncertainty(u: readonly TractUncertainty[] | null): PackedUncertainty | null {
  if (!u) return null;
  const values = new Float64Array(u.length * STRIDE);
  u.forEach((t, i) => {
    const at = i * STRIDE;
    values[at] = t.entropyLow;
    values[at + 1] = t.entropyHigh;
    DIVERSITY_CLASSES.forEach((c, j) => (values[at + 2 + j] = t.classProbability[c]));
    values[at + STRIDE - 1] = t.uncertain ? 1 : 0;
  });
  return { packed: 'uncertainty', values };
}

/** The same objects `classUncertainty` made (the packing is exact: doubles, NaN kept). */
export function unpackUncertainty(p: PackedUncertainty | null): TractUncertainty[] | null {
  if (!p) return null;
  const { values } = p;
  const out = new Array<TractUncertainty>(values.length / STRIDE);
  for (let i = 0; i < out.length; i++) {
    const at = i * STRIDE;
    out[i] = {
      entropyLow: values[at],
      entropyHigh: values[at + 1],
      classProbability: Object.fromEntries(DIVERSITY_CLASSES.map((c, j) => [c, values[at + 2 + j]])) as Record<DiversityClass, number>,
      uncertain: values[at + STRIDE - 1] === 1,
    };
  }
  return out;
}
