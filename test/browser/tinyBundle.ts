/**
 * A tiny bundle for browser smoke tests when the demo bundle is not there: a grid of square
 * tracts near Chicago with made-up household counts (labelled synthetic), written with the same
 * `buildBundle` as `tractmix build`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BRACKETS_16 } from '../../src/core/brackets';
import type { BoundaryFeature } from '../../src/data/boundaries';
import { buildBundle } from '../../src/data/bundle';
import { incomeTableOfUnits } from '../../src/data/income';

/** Writes the bundle into `dir` (created) and returns its tract GEOIDs. */
export function writeTinyBundle(dir: string, { columns = 4, rows = 3, size = 0.02, county = '99001', name }: { columns?: number; rows?: number; size?: number; county?: string; name?: (i: number) => string | undefined } = {}): string[] {
  const features: BoundaryFeature[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const [x, y] = [-87.7 + c * size, 41.85 + r * size];
      const GEOID = `${county}${String(100 + r * columns + c).padStart(4, '0')}00`;
      const given = name?.(r * columns + c);
      features.push({
        type: 'Feature',
        properties: given === undefined ? { GEOID } : { GEOID, name: given },
        // Counterclockwise outer ring (RFC 7946 §3.1.6).
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]] },
      });
    }
  }
  const units = features.map((f, i) => {
    const counts = BRACKETS_16.lowerEdges.map((_, b) => 10 + ((i * 7 + b * 3) % 40));
    return { geoid: f.properties.GEOID, line: i + 2, counts, total: counts.reduce((a, b) => a + b, 0), moe: null, totalMoe: null, publishedMedian: null };
  });
  const table = incomeTableOfUnits({ file: 'tiny.csv', year: 2018, incomeYear: 2018, units });
  const { files } = buildBundle({
    name: 'Tiny grid (test fixture)',
    description: `${features.length} square tracts with made-up incomes, for browser smoke tests.`,
    synthetic: true,
    createdBy: 'test/browser/tinyBundle.ts',
    boundaries: [{ key: 'main', features, source: 'generated squares' }],
    years: [{ table, boundaries: 'main', source: 'generated counts' }],
  });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return features.map((f) => f.properties.GEOID);
}
