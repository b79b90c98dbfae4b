/**
 * A dataset as the app holds it: boundary sets by vintage, one income table per year, and the
 * join report of each year — from a bundle or from files the user dropped.
 */
import type { BoundarySet } from './boundaries';
import type { IncomeTable } from './income';
import { joinReport, type JoinReport } from './join';
import type { Bundle, BundleMeta, FetchRecord, TiledBoundaries } from './bundle';
import { areaCrosswalk, type CrosswalkRow } from '../core/crosswalk';
import { readCrosswalk } from './crosswalkFile';
import type { TractValues } from './tractContext';
import type { UdpRegionFiles } from './udpInputs';
import type { AnalysisOptions } from '../core/analyze';

export interface DatasetYear {
  readonly year: number;
  readonly incomeYear: number;
  readonly table: IncomeTable;
  readonly boundaryKey: string;
  readonly source: string;
}

export interface Dataset {
  readonly name: string;
  readonly description: string;
  readonly synthetic: boolean;
  readonly sources: readonly string[];
  readonly boundaries: ReadonlyMap<string, BoundarySet>;
  /** Boundaries held as vector tiles (large bundles), by key; `url` is the archive's address. */
  readonly tiles?: ReadonlyMap<string, TiledBoundaries & { readonly url: string | null }>;
  readonly years: readonly DatasetYear[];
  readonly reports: readonly JoinReport[];
  /** Crosswalks between boundary vintages, keyed `from->to` (boundary keys). */
  readonly crosswalks: ReadonlyMap<string, readonly CrosswalkRow[]>;
  /** Keys of `crosswalks` computed from the boundaries' areas (no crosswalk file was given). */
  readonly areaWeighted?: ReadonlySet<string>;
  /** Extra per-tract columns (rent, home value, population, education) by data year, where the files have them. */
  readonly extras: ReadonlyMap<number, TractValues>;
  /** Every download behind a fetched bundle (`tractmix fetch`, Add a place). */
  readonly provenance?: readonly FetchRecord[];
  /** The raw UDP files, when the user opened them with UDP's typology output (for the UDP typology). */
  readonly udpFiles?: UdpRegionFiles;
  /**
   * The options a tractmix export's method.json recorded (a one-year export opened again, issue 11):
   * its AMI as a typed value, its scheme and minimum households, with which the export's figures come back.
   */
  readonly recordedOptions?: Required<Pick<AnalysisOptions, 'ami' | 'scheme' | 'minHouseholds'>>;
  /** Issue 12: a bundle opened from files (folder or zip) with its own layers, and how to read their files. */
  readonly bundleLayers?: { readonly meta: Pick<BundleMeta, 'areas' | 'points'>; readonly files: Readonly<Record<string, Uint8Array>> };
}

/** The tract ids of tiled boundaries, shaped for the join report. */
function tiledIds(t: TiledBoundaries) {
  return { file: t.listFile, features: t.tracts.map((x) => ({ properties: { GEOID: x.geoid } })), repairedIds: [], rejected: [] };
}

/** `base`: the bundle's address, against which tile archives are resolved (browser). */
export function datasetFromBundle(bundle: Bundle, base?: string | URL): Dataset {
  const tiles = new Map([...bundle.tiled].map(([key, t]) => [key, { ...t, url: base ? new URL(t.file, base).href : null }]));
  const years = bundle.meta.years.map((y, i) => ({
    year: y.year,
    incomeYear: y.incomeYear,
    table: bundle.tables[i],
    boundaryKey: y.boundaries,
    source: y.source,
  }));
  return {
    name: bundle.meta.name,
    description: bundle.meta.description,
    synthetic: bundle.meta.synthetic,
    sources: [...new Set([...bundle.meta.boundaries.map((b) => b.source), ...bundle.meta.years.map((y) => y.source)])],
    boundaries: bundle.boundaries,
    tiles,
    years,
    reports: years.map((y) => {
      const t = bundle.tiled.get(y.boundaryKey);
      return joinReport(y.table, bundle.boundaries.get(y.boundaryKey) ?? (t ? tiledIds(t) : null));
    }),
    crosswalks: new Map(
      [...bundle.crosswalkText].map(([key, text]) => [key, readCrosswalk(`crosswalk ${key}`, new TextEncoder().encode(text)).rows]),
    ),
    extras: bundle.extras,
    provenance: bundle.meta.provenance,
  };
}

/**
 * The dataset with area weights for every pair of boundary vintages that a change between two of
 * its years needs (earlier year's vintage → later year's) and that has no crosswalk: computed once
 * when the data are loaded (off the main thread in the app), with `onProgress(from, to, done,
 * total)`, so the change view does not compute them.
 */
export function withAreaCrosswalks(dataset: Dataset, onProgress?: (from: string, to: string, done: number, total: number) => void): Dataset {
  const needed: [string, string][] = [];
  for (const [i, a] of dataset.years.entries()) {
    for (const b of dataset.years.slice(i + 1)) {
      const key = `${a.boundaryKey}->${b.boundaryKey}`;
      if (a.boundaryKey === b.boundaryKey || dataset.crosswalks.has(key) || needed.some(([f, t]) => `${f}->${t}` === key)) continue;
      if (dataset.boundaries.has(a.boundaryKey) && dataset.boundaries.has(b.boundaryKey)) needed.push([a.boundaryKey, b.boundaryKey]);
    }
  }
  if (needed.length === 0) return dataset;
  const crosswalks = new Map(dataset.crosswalks);
  const areaWeighted = new Set(dataset.areaWeighted);
  for (const [from, to] of needed) {
    const rows = areaCrosswalk(dataset.boundaries.get(from)!.features, dataset.boundaries.get(to)!.features, undefined, (done, total) => onProgress?.(from, to, done, total));
    crosswalks.set(`${from}->${to}`, rows);
    areaWeighted.add(`${from}->${to}`);
  }
  return { ...dataset, crosswalks, areaWeighted };
}
