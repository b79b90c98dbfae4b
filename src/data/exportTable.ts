/**
 * The export table: one row per tract with every figure the current view shows, the source of the
 * CSV, GeoJSON and XLSX exports (same columns, same values in all three) and the fields a selection
 * rule can name (src/core/rule.ts).
 *
 * Numbers are kept at full precision (JavaScript's shortest round-trip form), so a figure read back
 * from any export is the number the app computed. Text that comes from user files (tract and county
 * names, notes) is neutralised against formula injection: a cell starting with = + - @ or a tab/CR
 * gets a leading apostrophe, as OWASP's "CSV Injection" advice says, so a spreadsheet shows it as text.
 */
import type { YearAnalysis } from '../core/analyze';
import { CRITERIA, type ChangeAnalysis, type CriterionId, type FlagId } from '../core/change';
import type { DefinitionResult } from '../core/definitions';
import { DIVERSITY_CLASSES } from '../core/entropy';
import type { RuleField, RuleRecord } from '../core/rule';
import type { UdpTractResult } from '../core/udp';
import type { TractUncertainty } from '../core/uncertainty';
import { UNCERTAINTY_COLUMNS } from './export';
import { bracketColumns, type ExportedInput } from './bracketColumns';

export type Cell = string | number | null;

export interface ExportColumn {
  readonly name: string;
  readonly kind: 'text' | 'number' | 'flag';
  /** Closed set of values (class columns). */
  readonly values?: readonly string[];
  /** Other names a rule may use for this column (`class` for the later year's class in the change view). */
  readonly aliases?: readonly string[];
}

export interface ExportTable {
  readonly view: 'year' | 'change';
  readonly columns: readonly ExportColumn[];
  /**
   * One row per tract, cells in column order; GEOID first. Made when first read (`tableOf`): a
   * national table is ~85,000 rows of 30–90 cells (~40 MB), which a map that is never exported,
   * filtered by rule or drawn on need not hold (issue 10's memory target).
   */
  readonly rows: readonly (readonly Cell[])[];
  /** Each row's GEOID, in row order (without making the rows). */
  readonly geoids: readonly string[];
  /** The counties of the rows: code → the county cell ("Cook County, IL", or the code when unknown), in order of first row. */
  readonly counties: ReadonlyMap<string, string>;
}

/** A table whose rows are made on first read, then kept. */
function tableOf(view: ExportTable['view'], columns: readonly ExportColumn[], geoids: readonly string[], naming: TractNaming, makeRows: () => (readonly Cell[])[]): ExportTable {
  const counties = new Map<string, string>();
  for (const g of geoids) {
    const code = g.slice(0, 5);
    if (!counties.has(code)) counties.set(code, neutraliseFormula(naming.countyName?.(g) ?? code));
  }
  let rows: (readonly Cell[])[] | null = null;
  return Object.defineProperty({ view, columns, geoids, counties } as Omit<ExportTable, 'rows'>, 'rows', { get: () => (rows ??= makeRows()), enumerable: true }) as ExportTable;
}

/** Names of places: the tract's (boundary file NAME, or made from the GEOID) and its county's. */
export interface TractNaming {
  /** Boundary names by GEOID (NAME/NAMELSAD of the boundary file). */
  readonly names?: ReadonlyMap<string, string>;
  /** "Cook County, IL" for a GEOID; undefined when unknown (the county code is written then). */
  readonly countyName?: (geoid: string) => string | undefined;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell safe to open in a spreadsheet: a leading = + - @ tab or CR gets an apostrophe before it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * "Census Tract 8391" for tract code 839100, "Census Tract 102.01" for 010201 (the Census Bureau's
 * NAMELSAD rule: the six-digit code is the tract number with two implied decimals); a block group
 * GEOID (12 digits) gets "Block Group 2, Census Tract 102.01".
 */
export function tractNameFromGeoid(geoid: string): string {
  const code = geoid.slice(5, 11);
  if (!/^\d{6}$/.test(code)) return geoid;
  const whole = String(Number(code.slice(0, 4)));
  const decimals = code.slice(4);
  const tract = `Census Tract ${whole}${decimals === '00' ? '' : `.${decimals}`}`;
  return geoid.length === 12 ? `Block Group ${geoid[11]}, ${tract}` : tract;
}

const CLASS_VALUES = DIVERSITY_CLASSES as readonly string[];
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const flag = (b: boolean): number => (b ? 1 : 0);

function placeCells(geoid: string, naming: TractNaming): [string, string] {
  // Cartographic boundary files' NAME is the bare number ("2.01"); NAMELSAD says "Census Tract 2.01".
  const given = naming.names?.get(geoid);
  const name = !given ? tractNameFromGeoid(geoid) : /^\d+(\.\d+)?$/.test(given) ? `${geoid.length === 12 ? 'Block Group' : 'Census Tract'} ${given}` : given;
  const county = naming.countyName?.(geoid) ?? geoid.slice(0, 5);
  return [neutraliseFormula(name), neutraliseFormula(county)];
}

/** Columns of one year's figures, with `suffix` ('' or `_2018`). */
function yearColumns(analysis: YearAnalysis, suffix: string, aliases: boolean): ExportColumn[] {
  const a = (...names: string[]) => (aliases ? names.filter((n) => n !== names[0] || suffix !== '') : undefined);
  return [
    { name: `households${suffix}`, kind: 'number', aliases: a('households') },
    { name: `entropy${suffix}`, kind: 'number', aliases: a('entropy', 'h') },
    { name: `class${suffix}`, kind: 'text', values: CLASS_VALUES, aliases: a('class') },
    { name: `median_income${suffix}`, kind: 'number', aliases: a('median_income') },
    { name: `median_ami${suffix}`, kind: 'number', aliases: a('median_ami') },
    ...analysis.groups.map((g): ExportColumn => ({ name: `${g.key}_households${suffix}`, kind: 'number', aliases: a(`${g.key}_households`) })),
    ...analysis.groups.map((g): ExportColumn => ({ name: `${g.key}_share${suffix}`, kind: 'number', aliases: a(`${g.key}_share`) })),
    ...inputColumns(exportedInput(analysis, suffix)).map((name): ExportColumn => ({ name: `${name}${suffix}`, kind: 'number', aliases: a(name) })),
  ];
}

/**
 * What the export writes of a year's input so that it can be analysed again (round trip): the
 * bracket counts (the households column is their sum), their MOEs and the published medians when
 * the data have them.
 */
export function exportedInput(analysis: YearAnalysis, suffix: string): ExportedInput {
  const s = analysis.snapshot;
  return {
    year: analysis.year,
    incomeYear: analysis.incomeYear,
    set: s.set,
    universe: s.universe,
    unitKind: s.geoids.length > 0 && s.geoids.every((g) => g.length === 12) ? 'block group' : 'tract',
    moe: !!s.moe,
    totalMoe: !!s.totalMoe,
    publishedMedian: s.publishedMedians.some((m) => m !== null),
    suffix,
  };
}

/** Names (without the year suffix) of the input columns: brackets, then MOEs, then the published median. */
function inputColumns(x: ExportedInput): string[] {
  const names = bracketColumns(x.set);
  return [...names, ...(x.moe ? names.map((n) => `${n}_moe`) : []), ...(x.totalMoe ? ['households_moe'] : []), ...(x.publishedMedian ? ['published_median'] : [])];
}

/** Appends the year's cells of unit `u` to `out` (one array per row: 85,000 rows are built at national scale). */
function pushYearCells(out: Cell[], analysis: YearAnalysis, x: ExportedInput, u: number): Cell[] {
  const g = analysis.groups.length;
  const hh = analysis.households[u];
  const cls = analysis.classes[u];
  out.push(hh, cls === 'insufficient' ? null : finite(analysis.entropy[u]), cls, finite(analysis.medianIncome[u]), finite(analysis.medianIncome[u] / analysis.ami.dollars));
  for (let i = 0; i < g; i++) out.push(analysis.groupCounts[u * g + i]);
  for (let i = 0; i < g; i++) out.push(hh > 0 ? analysis.groupCounts[u * g + i] / hh : null);
  // The input: bracket counts, their MOEs, the total's MOE, the published median.
  const s = analysis.snapshot;
  const k = s.set.lowerEdges.length;
  for (let i = 0; i < k; i++) out.push(s.counts[u * k + i]);
  if (x.moe) for (let i = 0; i < k; i++) out.push(finite(s.moe![u * k + i]));
  if (x.totalMoe) out.push(finite(s.totalMoe![u]));
  if (x.publishedMedian) out.push(s.publishedMedians[u]);
  return out;
}

/** One year: GEOID, name, county, year, ami, then the year's figures (and, with MOEs, the class uncertainty of METHOD §6). */
export function yearExportTable(analysis: YearAnalysis, naming: TractNaming = {}, uncertainty?: readonly TractUncertainty[] | null): ExportTable {
  const columns: ExportColumn[] = [
    { name: 'GEOID', kind: 'text', aliases: ['geoid'] },
    { name: 'name', kind: 'text' },
    { name: 'county', kind: 'text' },
    { name: 'year', kind: 'number' },
    { name: 'ami', kind: 'number' },
    ...yearColumns(analysis, '', true),
    ...(uncertainty ? UNCERTAINTY_COLUMNS.map((name): ExportColumn => ({ name, kind: name === 'class_uncertain' ? 'flag' : 'number' })) : []),
  ];
  const uncertaintyCells = (u: number): Cell[] => {
    const x = uncertainty?.[u];
    if (!uncertainty) return [];
    if (!x) return UNCERTAINTY_COLUMNS.map(() => null);
    const p = x.classProbability;
    return [x.entropyLow, x.entropyHigh, p.high, p.moderate, p.low, p['not-diverse'], p.insufficient, flag(x.uncertain)];
  };
  const input = exportedInput(analysis, '');
  return tableOf('year', columns, analysis.geoids, naming, () =>
    analysis.geoids.map((geoid, u) => {
      const [name, county] = placeCells(geoid, naming);
      const row = pushYearCells([geoid, name, county, analysis.year, analysis.ami.dollars], analysis, input, u);
      if (uncertainty) row.push(...uncertaintyCells(u));
      return row;
    }),
  );
}

/** The fuller definitions shown in the change view, whose columns the change export carries. */
export interface DefinitionColumns {
  /** Governing (prefix gov) or NCRC (prefix ncrc) results. */
  readonly definition?: { readonly prefix: 'gov' | 'ncrc'; readonly results: ReadonlyMap<string, DefinitionResult> } | null;
  readonly udp?: ReadonlyMap<string, UdpTractResult> | null;
}

const UDP_COLUMNS = ['udp_vul_gent_00', 'udp_vul_gent_18', 'udp_gent_00_18', 'udp_lostli_18'] as const;

function definitionColumns(extra: DefinitionColumns): { columns: ExportColumn[]; cells: (geoid: string) => Cell[] } {
  const columns: ExportColumn[] = [];
  const parts: ((geoid: string) => Cell[])[] = [];
  const def = extra.definition;
  if (def) {
    const first = def.results.values().next().value as DefinitionResult | undefined;
    const criteria = first ? Object.keys(first.criteria) : [];
    columns.push(
      { name: `${def.prefix}_eligible`, kind: 'flag' },
      { name: `${def.prefix}_gentrified`, kind: 'flag' },
      ...criteria.map((c): ExportColumn => ({ name: c, kind: 'flag' })),
      { name: `${def.prefix}_missing`, kind: 'text' },
    );
    parts.push((g) => {
      const r = def.results.get(g);
      if (!r) return [null, null, ...criteria.map(() => null), 'no data'];
      return [flag(r.eligible), flag(r.gentrified), ...criteria.map((c) => flag(r.criteria[c])), neutraliseFormula(r.missing.join('; '))];
    });
  }
  const udp = extra.udp;
  if (udp) {
    columns.push(...UDP_COLUMNS.map((name): ExportColumn => ({ name, kind: 'flag' })), { name: 'udp_typology', kind: 'text' }, { name: 'udp_typology_label', kind: 'text' });
    const bit = (v: boolean | null | undefined): Cell => (v === null || v === undefined ? null : flag(v));
    parts.push((g) => {
      const t = udp.get(g);
      if (!t) return [null, null, null, null, null, null];
      return [bit(t.flags.vul_gent_00), bit(t.flags.vul_gent_18), bit(t.flags.gent_00_18), bit(t.flags.lostli_18), t.udp_typology_code, neutraliseFormula(t.udp_typology ?? '')];
    });
  }
  return { columns, cells: (g) => parts.flatMap((p) => p(g)) };
}

/**
 * Two years on one geography: both years' figures (suffixed with the year; the later year's also
 * answer to the plain names in rules), the change figures, the three flags, every criterion, and the
 * columns of the fuller definition shown (Governing, NCRC or UDP).
 */
export function changeExportTable(change: ChangeAnalysis, naming: TractNaming = {}, extra: DefinitionColumns = {}): ExportTable {
  const [a0, a1] = [change.from, change.to];
  const [y0, y1] = [a0.year, a1.year];
  const criteria = Object.keys(CRITERIA) as CriterionId[];
  const flags: FlagId[] = ['stable_mixed', 'income_upgrading', 'transitional'];
  const defs = definitionColumns(extra);
  const inputs = [exportedInput(a0, `_${y0}`), exportedInput(a1, `_${y1}`)];
  const columns: ExportColumn[] = [
    { name: 'GEOID', kind: 'text', aliases: ['geoid'] },
    { name: 'name', kind: 'text' },
    { name: 'county', kind: 'text' },
    ...yearColumns(a0, `_${y0}`, false),
    ...yearColumns(a1, `_${y1}`, true),
    { name: 'delta_entropy', kind: 'number' },
    ...a0.groups.map((g): ExportColumn => ({ name: `delta_${g.key}`, kind: 'number' })),
    { name: `low_income_share_${y0}`, kind: 'number' },
    { name: `low_income_share_${y1}`, kind: 'number' },
    { name: 'real_median_growth', kind: 'number' },
    { name: 'boundary_changed', kind: 'flag' },
    ...flags.map((f): ExportColumn => ({ name: f, kind: 'flag' })),
    ...criteria.map((c): ExportColumn => ({ name: c, kind: 'flag' })),
    ...defs.columns,
    { name: 'not_called', kind: 'text' },
  ];
  return tableOf('change', columns, change.tracts.map((t) => t.geoid), naming, () => change.tracts.map((t) => [
    t.geoid,
    ...placeCells(t.geoid, naming),
    ...pushYearCells([], a0, inputs[0], t.index0),
    ...pushYearCells([], a1, inputs[1], t.index1),
    finite(t.deltaEntropy),
    ...t.deltaShares.map(finite),
    finite(t.lowIncomeShare[0]),
    finite(t.lowIncomeShare[1]),
    finite(t.realMedianGrowth),
    flag(t.boundaryChanged),
    ...flags.map((f) => flag(t.flags[f])),
    ...criteria.map((c) => flag(t.criteria[c])),
    ...defs.cells(t.geoid),
    neutraliseFormula(t.notCalled.join('; ')),
  ]));
}

/** Where a rule record keeps its row (a symbol: no column name can hide it). */
const ROW = Symbol('row');

/** The fields a selection rule may name in this view: every column but the tract name. */
export function ruleFields(table: ExportTable): RuleField[] {
  return table.columns.filter((c) => c.name !== 'name').map((c) => ({ name: c.name, kind: c.kind, values: c.values, aliases: c.aliases }));
}

/**
 * Each row as a rule record; `county` answers to the county's code (17031) and its name, with or
 * without the state ("Cook County, IL", "Cook County").
 */
export function ruleRecords(table: ExportTable): RuleRecord[] {
  const countyAt = table.columns.findIndex((c) => c.name === 'county');
  // Each record reads its row through getters shared by all rows (one prototype per table): a
  // national table has 85,000 rows of ~90 columns, and a rule reads two or three of them.
  const proto: Record<string, PropertyDescriptor> = {};
  table.columns.forEach((c, i) => {
    if (i === countyAt) {
      proto[c.name] = {
        get(this: { [ROW]: readonly Cell[] }) {
          const name = String(this[ROW][countyAt] ?? '');
          return [String(this[ROW][0]).slice(0, 5), name, name.replace(/, [A-Z]{2}$/, '')];
        },
        enumerable: true,
      };
    } else proto[c.name] = { get(this: { [ROW]: readonly Cell[] }) { return this[ROW][i]; }, enumerable: true };
  });
  const prototype = Object.create(null, proto) as object;
  return table.rows.map((row) => {
    const record = Object.create(prototype) as { [ROW]: readonly Cell[] };
    record[ROW] = row;
    return record as unknown as RuleRecord;
  });
}

/** The rows whose GEOID is kept (all when `keep` is null), in table order. */
export function filterRows(table: ExportTable, keep: ((geoid: string) => boolean) | null): ExportTable {
  if (!keep) return table;
  const rows = table.rows.filter((r) => keep(String(r[0])));
  return { ...table, rows, geoids: rows.map((r) => String(r[0])) };
}
