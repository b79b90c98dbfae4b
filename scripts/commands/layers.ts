/**
 * `--areas FILE [--area-name FIELD] [--area-rule share|centroid]` and `--points NAME=FILE` of
 * analyze and change: reading the layers (src/data), pooling and counting (src/core/areas,
 * src/core/points), and the extra CSV columns. Thin shell.
 */
import { AREA_RULES, AREA_RULE_WORDS, areaMembers, areaWeights, type AreaRule, type AreaWeight } from '../../src/core/areas';
import { countPoints, type PointCounts } from '../../src/core/points';
import { readAreaLayer, type AreaLayer, type BoundarySet } from '../../src/data/boundaries';
import { layerParameters as sharedLayerParameters, withLayerColumns as sharedLayerColumns } from '../../src/data/layerExport';
import { readPointLayer, type PointLayer } from '../../src/data/points';
import { UsageError } from '../lib/args';
import { readBoundaryParts, readUserFile } from '../lib/files';
import type { CliIo } from '../lib/io';

export interface LayerArgs {
  areas?: string;
  'area-name'?: string;
  'area-rule'?: string;
  points?: string[];
  'point-category'?: string;
  'point-lat'?: string;
  'point-lon'?: string;
}

export interface AreaSetup {
  readonly layer: AreaLayer;
  readonly rule: AreaRule;
  readonly weights: AreaWeight[];
  readonly names: string[];
  readonly members: Map<string, { tract: string; weight: number }[]>;
}

export interface PointSetup {
  readonly name: string;
  readonly layer: PointLayer;
  readonly tracts: PointCounts;
  readonly areas: PointCounts | null;
}

export function parseAreaRule(value: string | undefined): AreaRule {
  if (value === undefined) return 'share';
  if (!(AREA_RULES as readonly string[]).includes(value)) throw new UsageError(`--area-rule "${value}" is not ${AREA_RULES.join(' or ')}`);
  return value as AreaRule;
}

/** NAME=FILE of --points: NAME becomes the column prefix, so letters, digits and _ only. */
export function parsePointSpec(arg: string): { name: string; path: string } {
  const m = /^([A-Za-z][A-Za-z0-9_]{0,39})=(.+)$/.exec(arg);
  if (!m) throw new UsageError(`--points "${arg}" is not NAME=FILE (NAME: a letter, then letters, digits or _, e.g. --points assets=libraries.csv)`);
  return { name: m[1], path: m[2] };
}

export function checkLayerArgs(values: LayerArgs): void {
  if (values.areas === undefined) {
    for (const o of ['area-name', 'area-rule'] as const) if (values[o] !== undefined) throw new UsageError(`--${o} needs --areas FILE`);
  }
  if (!values.points?.length) {
    for (const o of ['point-category', 'point-lat', 'point-lon'] as const) if (values[o] !== undefined) throw new UsageError(`--${o} needs --points NAME=FILE`);
  }
  parseAreaRule(values['area-rule']);
  const names = (values.points ?? []).map((p) => parsePointSpec(p).name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`--points names ${twice} twice: one NAME per layer`);
}

/** Read the area layer and weigh the tracts into it; reports what was read on `io.err`. */
export async function setupAreas(values: LayerArgs, tracts: BoundarySet, io: CliIo): Promise<AreaSetup | null> {
  if (!values.areas) return null;
  const rule = parseAreaRule(values['area-rule']);
  const layer = await readAreaLayer(readBoundaryParts(values.areas, 'areas'), { nameProperty: values['area-name'] });
  const names = layer.features.map((f) => f.properties.name);
  const weights = areaWeights(tracts.features, layer.features, rule);
  const members = areaMembers(weights);
  io.err(`areas: ${names.length} areas from ${layer.file} (names in "${layer.nameProperty}"; ${layer.crs}); rule "${rule}": ${AREA_RULE_WORDS[rule]}\n`);
  for (const r of layer.rejected) io.err(`  areas: rejected feature ${r.row}${r.column ? `, property "${r.column}"` : ''}: ${r.reason}\n`);
  for (const m of layer.merged) io.err(`  areas: "${m.name}" is in features ${m.features.join(', ')}: their polygons were merged into one area\n`);
  const empty = names.filter((n) => !members.has(n));
  if (empty.length) io.err(`  areas: ${empty.length} areas hold no tract${rule === 'centroid' ? ' centroid' : ''} (no households; check that they overlap the tracts): ${empty.slice(0, 10).join(', ')}${empty.length > 10 ? ', …' : ''}\n`);
  return { layer, rule, weights, names, members };
}

/** Read each --points layer and count its points per tract (and per area). */
export function setupPoints(values: LayerArgs, tracts: BoundarySet, areas: AreaSetup | null, io: CliIo): PointSetup[] {
  return (values.points ?? []).map(parsePointSpec).map(({ name, path }) => {
    const layer = readPointLayer(path, readUserFile(path, 'points').bytes, {
      category: values['point-category'],
      lat: values['point-lat'],
      lon: values['point-lon'],
      defaultCategory: name,
    });
    const t = countPoints(layer.points, tracts.features, (f) => f.properties.GEOID, true);
    const a = areas ? countPoints(layer.points, areas.layer.features, (f) => f.properties.name, false) : null;
    io.err(
      `points ${name}: ${layer.rowsRead} ${layer.format === 'csv' ? 'rows' : 'features'} read, ${layer.points.length} usable, ${layer.rejected.length} rejected; ` +
        `${layer.points.length - t.outside.length} inside a tract, ${t.outside.length} outside every tract; categories: ${t.categories.join(', ') || '(none)'}\n`,
    );
    for (const r of layer.rejected) io.err(`  points ${name}: rejected ${layer.format === 'csv' ? 'line' : 'feature'} ${r.row}${r.column ? `, column "${r.column}"` : ''}: ${r.reason}\n`);
    for (const p of t.outside.slice(0, 20)) io.err(`  points ${name}: ${layer.format === 'csv' ? 'line' : 'feature'} ${p.row}${p.name ? ` (${p.name})` : ''} at ${p.lat}, ${p.lon} is outside every tract\n`);
    if (t.outside.length > 20) io.err(`  points ${name}: … ${t.outside.length - 20} more outside every tract\n`);
    return { name, layer, tracts: t, areas: a };
  });
}

/** Append the point-count columns (and, for areas, the tract list): the app writes the same (src/data/layerExport.ts). */
export function withLayerColumns(csv: string, points: readonly PointSetup[], which: 'tracts' | 'areas', members?: AreaSetup['members']): string {
  return sharedLayerColumns(csv, points, which, members);
}

/** What method.json records about the layers. */
export function layerParameters(areas: AreaSetup | null, points: readonly PointSetup[]) {
  return sharedLayerParameters(areas, points);
}
