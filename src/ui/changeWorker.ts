/**
 * The change view's computation in a worker: moving counts to one set of tracts (crosswalks, or
 * area weights from turf intersections when vintages differ), analysing both years and flagging.
 * The dataset is sent once per dataset (packed, its polygons in parts: changeRunner.ts) and kept
 * here; each request names it by its number.
 */
import { changeAnalysis, type ChangeThresholds } from '../core/change';
import type { AnalysisOptions } from '../core/analyze';
import type { BoundaryFeature, BoundarySet } from '../data/boundaries';
import type { Dataset } from '../data/dataset';
import { prepareYearPair } from '../data/yearPair';
import { unpackDataset } from './loadMessages';

/** What the worker keeps of a dataset. */
export type ChangeDataset = Pick<Dataset, 'years' | 'boundaries' | 'crosswalks' | 'areaWeighted'>;

export type ChangeMessage =
  /** A dataset, packed (loadMessages.ts), its boundary sets without their polygons. */
  | { kind: 'dataset'; datasetId: number; dataset: ChangeDataset }
  /** Polygons of one boundary set of the dataset, appended in order. */
  | { kind: 'features'; datasetId: number; key: string; features: readonly BoundaryFeature[] }
  | { kind: 'change'; id: number; datasetId: number; years: [number, number]; options: AnalysisOptions; thresholds: Partial<ChangeThresholds> };

const datasets = new Map<number, ChangeDataset>();

self.onmessage = (e: MessageEvent<ChangeMessage>) => {
  const r = e.data;
  if (r.kind === 'dataset') {
    datasets.clear();
    datasets.set(r.datasetId, unpackDataset(r.dataset as Dataset));
    return;
  }
  if (r.kind === 'features') {
    const set = datasets.get(r.datasetId)?.boundaries.get(r.key) as BoundarySet | undefined;
    for (const f of r.features) set?.features.push(f);
    return;
  }
  const dataset = datasets.get(r.datasetId);
  try {
    if (!dataset) throw new Error('the worker lost the dataset');
    const pair = prepareYearPair(dataset as Dataset, r.years[0], r.years[1], r.options);
    const change = changeAnalysis(pair.from, pair.to, { ...r.thresholds, largestSourceWeight: pair.largestSourceWeight });
    change.warnings.unshift(...pair.warnings);
    self.postMessage({ id: r.id, result: { change, geography: pair.geography }, error: null });
  } catch (err) {
    self.postMessage({ id: r.id, result: null, error: (err as Error).message });
  }
};
