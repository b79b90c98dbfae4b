/**
 * The change view's computation in a worker: moving counts to one set of tracts (crosswalks, or
 * area weights from turf intersections when vintages differ), analysing both years and flagging.
 * The dataset is sent once per dataset and kept here; each request names it by its number.
 */
import { changeAnalysis, type ChangeThresholds } from '../core/change';
import type { AnalysisOptions } from '../core/analyze';
import type { Dataset } from '../data/dataset';
import { prepareYearPair } from '../data/yearPair';

export type ChangeRequest = {
  id: number;
  datasetId: number;
  /** Sent with the first request for a dataset only. */
  dataset?: Pick<Dataset, 'years' | 'boundaries' | 'crosswalks' | 'areaWeighted'>;
  years: [number, number];
  options: AnalysisOptions;
  thresholds: Partial<ChangeThresholds>;
};

const datasets = new Map<number, Pick<Dataset, 'years' | 'boundaries' | 'crosswalks' | 'areaWeighted'>>();

self.onmessage = (e: MessageEvent<ChangeRequest>) => {
  const r = e.data;
  if (r.dataset) {
    datasets.clear();
    datasets.set(r.datasetId, r.dataset);
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
