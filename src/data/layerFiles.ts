/**
 * The layers a bundle carries (`bundle.json` "areas" and "points", written by `tractmix build
 * --areas --points`), read back with the same readers and checks as files a user opens.
 */
import type { AssetPoint } from '../core/points';
import { readAreaLayer, type AreaLayer } from './boundaries';
import type { BundleMeta } from './bundle';
import { readPointLayer, type PointLayer } from './points';

/** A point layer as the app holds it. */
export interface LoadedPointLayer {
  /** Layer name: the prefix of its count columns (letters, digits, _). */
  readonly name: string;
  readonly layer: PointLayer;
  /** Rows of the original file that could not be used, counted when the bundle was built. */
  readonly rejectedBefore: number;
  /** Where it came from: the bundle, or a file the user opened. */
  readonly origin: 'bundle' | 'file';
  readonly source: string;
}

export interface LoadedAreaLayer {
  readonly layer: AreaLayer;
  readonly origin: 'bundle' | 'file';
  readonly source: string;
}

export interface LoadedLayers {
  readonly areas: LoadedAreaLayer | null;
  readonly points: readonly LoadedPointLayer[];
}

export const NO_LAYERS: LoadedLayers = { areas: null, points: [] };

/** Read the bundle's layers through a file getter; a bundle without layers gives NO_LAYERS. */
export async function readBundleLayers(meta: Pick<BundleMeta, 'areas' | 'points'>, getText: (file: string) => Promise<string>): Promise<LoadedLayers> {
  const encoder = new TextEncoder();
  const areas = meta.areas
    ? {
        layer: await readAreaLayer([{ name: meta.areas.file, bytes: encoder.encode(await getText(meta.areas.file)) }], { nameProperty: 'name' }),
        origin: 'bundle' as const,
        source: meta.areas.source,
      }
    : null;
  const points: LoadedPointLayer[] = [];
  for (const p of meta.points ?? []) {
    const text = await getText(p.file);
    const read = readPointLayer(p.file, encoder.encode(text), { category: 'category', name: 'name', defaultCategory: p.name });
    // The bundle keeps each point's line in the original file: messages name that line.
    const rows = JSON.parse(text) as { features: { properties?: { row?: unknown } }[] };
    const original = (pt: AssetPoint): AssetPoint => {
      const row = rows.features[pt.row - 1]?.properties?.row;
      return typeof row === 'number' && Number.isInteger(row) ? { ...pt, row } : pt;
    };
    // Rows the original file could not use: listed when the bundle names them, else counted.
    const listed = p.rejectedRows ?? [];
    points.push({
      name: p.name,
      layer: { ...read, points: read.points.map(original), rejected: [...read.rejected, ...listed], rowsRead: read.rowsRead + listed.length, fields: { ...read.fields, category: p.categoryField } },
      rejectedBefore: Math.max(0, p.rejected - listed.length),
      origin: 'bundle',
      source: p.source,
    });
  }
  return { areas, points };
}
