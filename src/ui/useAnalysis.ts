/**
 * The app's work after the map is drawn, as hooks over the analysis worker (analysisRunner.ts):
 * the uncertainty sample of a year or of the user's areas, the UDP typology (and the county
 * context, which comes with the loaded boundaries).
 * Each result arrives when it is ready (the map and panels are drawn without it); a job that takes
 * longer than 0.3 s says what it is doing in the progress line. A result for inputs that
 * have changed meanwhile is dropped.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { IncomeSnapshot, YearAnalysis } from '../core/analyze';
import type { TractUncertainty } from '../core/uncertainty';
import type { UdpTractResult } from '../core/udp';
import type { BoundarySet } from '../data/boundaries';
import { InputError } from '../data/errors';
import type { GeoContext } from '../data/geoContext';
import type { UdpRegionFiles } from '../data/udpInputs';
import type { AnalysisJob, AnalysisKind, AnalysisResults } from './analysisMessages';
import { analysisRunnerInfo, runAnalysis } from './analysisRunner';
import { loadedContext, onLoadedContext } from './loadDataset';
import { showWork } from './ProgressLine';

/** The result of `job` (null until it arrives, and while `job` is null), or its error. */
function useAnalysisJob<K extends AnalysisKind>(job: Extract<AnalysisJob, { kind: K }> | null, startAfterMs: number): { value: AnalysisResults[K] | null; error: string | null } {
  const key = useId();
  const [state, setState] = useState<{ job: typeof job; value: AnalysisResults[K] | null; error: string | null } | null>(null);
  useEffect(() => {
    if (!job) return;
    let cancelled = false;
    let settled = false;
    analysisRunnerInfo.waiting++;
    const settle = () => {
      if (!settled) analysisRunnerInfo.waiting--;
      settled = true;
    };
    // The progress line itself appears only 0.3 s after it is put up (app.css): shorter jobs never show.
    const start = window.setTimeout(() => {
      runAnalysis<K>(job, (text) => {
        if (!cancelled) showWork(key, text.charAt(0).toUpperCase() + text.slice(1) + '…');
      }).then(
        (value) => !cancelled && setState({ job, value, error: null }),
        (e: Error) => !cancelled && setState({ job, value: null, error: e instanceof InputError ? e.message : String(e.message ?? e) }),
      ).finally(() => {
        if (!cancelled) showWork(key, null);
        settle();
      });
    }, startAfterMs);
    return () => {
      cancelled = true;
      settle();
      window.clearTimeout(start);
      showWork(key, null);
    };
  }, [job, key, startAfterMs]);
  return state && state.job === job ? state : { value: null, error: null };
}

/**
 * METHOD §6: the 90% interval of H and each class's probability, when the snapshot has MOEs
 * (null otherwise, and until the sample is done). Starts `startAfterMs` after the analysis, off
 * the path of its repaint.
 */
export function useUncertainty(snapshot: IncomeSnapshot | null, analysis: YearAnalysis | null, startAfterMs = 250): readonly TractUncertainty[] | null {
  const job = useMemo(() => (snapshot?.moe && analysis ? ({ kind: 'uncertainty', snapshot: { set: snapshot.set, counts: snapshot.counts, moe: snapshot.moe }, analysis: { geoids: analysis.geoids, groups: analysis.groups, cutsDollars: analysis.cutsDollars, classes: analysis.classes, minHouseholds: analysis.minHouseholds } } as const) : null), [snapshot, analysis]);
  return useAnalysisJob<'uncertainty'>(job, startAfterMs).value;
}

/**
 * County lines and names and tract label points of `boundaries` (null until found): the loading job
 * finds them where the polygons already are and sends them just after the tracts, so the map
 * draws them with the tracts instead of repainting after it has gone idle (issue 8).
 */
export function useGeoContext(boundaries: BoundarySet | null): GeoContext | null {
  const [, heard] = useState(0);
  useEffect(() => onLoadedContext(() => heard((n) => n + 1)), []);
  const found = boundaries ? loadedContext(boundaries) : null;
  // While the context of other boundaries is found, the last one stays (as it stays on the map).
  const [last, setLast] = useState<GeoContext | null>(null);
  useEffect(() => {
    if (found) setLast(found);
  }, [found]);
  return found ?? last;
}

/** UDP's typology from UDP's own files, by tract (null until done, or with the error). */
export function useUdpTypology(files: UdpRegionFiles | null): { results: ReadonlyMap<string, UdpTractResult> | null; error: string | null } {
  const job = useMemo(() => (files ? ({ kind: 'udp', files } as const) : null), [files]);
  const { value, error } = useAnalysisJob<'udp'>(job, 0);
  const results = useMemo(() => (value ? new Map(value.map((t) => [t.geoid, t])) : null), [value]);
  return { results, error };
}
