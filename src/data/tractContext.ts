/**
 * Per-tract context beyond income (population, home value, education), from the extra columns an
 * income file or bundle carries (`extras.ts`) and from an `--external` CSV keyed by GEOID, turned
 * into the inputs of the fuller gentrification definitions.
 */
import type { DefinitionInputs } from '../core/definitions';
import { InputError } from './errors';
import { normalizeGeoid } from './geoid';
import { numberOrNull } from './income';
import { readTable } from './text';

export type TractValues = ReadonlyMap<string, Readonly<Record<string, number | null>>>;

/** An external CSV of per-tract columns keyed by GEOID (`GEOID`, `geoid`, `FIPS` or `GEO_ID`). */
export function readExternal(file: string, bytes: Uint8Array): { columns: string[]; values: Map<string, Record<string, number | null>>; rejected: { line: number; reason: string }[] } {
  const { raw } = readTable(file, bytes);
  const idIndex = ['GEOID', 'geoid', 'FIPS', 'fips', 'GEO_ID'].map((n) => raw.header.indexOf(n)).find((i) => i >= 0);
  if (idIndex === undefined) {
    throw new InputError({ file, problem: 'no GEOID column', expected: 'a column named GEOID (or FIPS, GEO_ID) with tract ids', action: 'Name the id column GEOID.' });
  }
  const columns = raw.header.filter((_, i) => i !== idIndex && raw.header[i] !== '');
  const values = new Map<string, Record<string, number | null>>();
  const rejected: { line: number; reason: string }[] = [];
  for (const { line, cells } of raw.rows) {
    const id = normalizeGeoid(cells[idIndex] ?? '');
    if (!id.ok) {
      rejected.push({ line, reason: id.reason });
      continue;
    }
    const record: Record<string, number | null> = {};
    raw.header.forEach((h, i) => {
      if (i === idIndex || h === '') return;
      const s = (cells[i] ?? '').trim();
      record[h] = s === 'True' ? 1 : s === 'False' ? 0 : numberOrNull(s);
    });
    values.set(id.geoid, record);
  }
  return { columns, values, rejected };
}

const yy = (year: number) => String(year % 100).padStart(2, '0');

function sum(record: Readonly<Record<string, number | null>> | undefined, names: string[]): number | null {
  if (!record) return null;
  let total = 0;
  for (const n of names) {
    const v = record[n];
    if (v === null || v === undefined) return null;
    total += v;
  }
  return total;
}

/**
 * Share of adults 25+ with a bachelor's degree or more, from the columns UDP/LTDB files use:
 * ACS B15003 (`total_25_col_bd/md/pd/phd_yy ÷ total_25_yy`), Census 2000 P037 by sex
 * (`male_/female_25_col_bd/md/psd/phd_00 ÷ total_25_00`), 1990 STF3 (`total_25_col_bd/gd_90 ÷` the
 * sum of the attainment columns). A column `per_col_yy` (share) is used when present.
 */
export function collegeShare(record: Readonly<Record<string, number | null>> | undefined, year: number): number | null {
  if (!record) return null;
  const y = yy(year);
  if (record[`per_col_${y}`] !== undefined && record[`per_col_${y}`] !== null) return record[`per_col_${y}`]!;
  const acs = sum(record, ['bd', 'md', 'pd', 'phd'].map((d) => `total_25_col_${d}_${y}`));
  const total = record[`total_25_${y}`] ?? null;
  if (acs !== null && total) return acs / total;
  const bySex = sum(record, ['male', 'female'].flatMap((s) => ['bd', 'md', 'psd', 'phd'].map((d) => `${s}_25_col_${d}_${y}`)));
  if (bySex !== null && total) return bySex / total;
  const levels = ['9th', '12th', 'hs', 'sc', 'ad', 'bd', 'gd'].map((d) => `total_25_col_${d}_${y}`);
  const all = sum(record, levels);
  const college = sum(record, [`total_25_col_bd_${y}`, `total_25_col_gd_${y}`]);
  return all && college !== null ? college / all : null;
}

/** Inputs of the Governing/NCRC definitions for tracts present in both years. */
export function definitionInputs(
  geoids: readonly string[],
  years: [number, number],
  values: [TractValues, TractValues],
  medianIncome: (geoid: string, which: 0 | 1) => number | null,
): DefinitionInputs[] {
  return geoids.map((geoid) => {
    const r = [values[0].get(geoid), values[1].get(geoid)] as const;
    const pick = (which: 0 | 1, stem: string) => r[which]?.[`${stem}${yy(years[which])}`] ?? null;
    return {
      geoid,
      population: [pick(0, 'pop_'), pick(1, 'pop_')],
      medianIncome: [medianIncome(geoid, 0), medianIncome(geoid, 1)],
      homeValue: [pick(0, 'mhval_'), pick(1, 'mhval_')],
      collegeShare: [collegeShare(r[0], years[0]), collegeShare(r[1], years[1])],
    };
  });
}

/** Merge value maps; later maps win column by column. */
export function mergeValues(...maps: (TractValues | undefined)[]): Map<string, Record<string, number | null>> {
  const out = new Map<string, Record<string, number | null>>();
  for (const m of maps) {
    if (!m) continue;
    for (const [g, rec] of m) out.set(g, { ...(out.get(g) ?? {}), ...rec });
  }
  return out;
}
