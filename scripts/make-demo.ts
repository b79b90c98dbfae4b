/**
 * Write the Riverbend demo bundle (synthetic data the app opens by default).
 * Usage: npx tsx scripts/make-demo.ts [--out data/demo] [--seed 20261122]   (npm run demo)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBundle } from '../src/data/bundle';
import { toCsv } from '../src/data/export';
import { readPointLayer } from '../src/data/points';
import { DEMO_SEED, generateDemo, PLANTED_PATTERNS, type DemoRegion } from './demo/generate';
import { demoAssetsCsv, demoNeighbourhoods } from './demo/layers';

const SYNTHETIC = 'synthetic (scripts/demo/generate.ts)';

const PATTERN_NOTES: Readonly<Record<(typeof PLANTED_PATTERNS)[number], string>> = {
  stable_mixed: 'median near AMI with a very wide spread, steady: High diversity every year',
  income_upgrading: 'median ~55–68% AMI in 2000, ~190–240% AMI by 2018/2023 (Low / not diverse then)',
  transitional: 'median ~55–68% AMI in 2000, ~90–110% AMI by 2018/2023 with a wide spread (High then)',
  poverty: 'median ~30–40% AMI, falling further behind; not diverse',
  affluent: 'median ~210–260% AMI every year',
  small: 'parks and riverfront industry: 20–85 households',
  split: 'the 2010 halves of a 2000 tract split for growth; ordinary incomes',
  none: 'ordinary: working-class (~60% AMI) inside, comfortable (~160% AMI) in the suburbs; Moderate diversity',
};

function readme(demo: DemoRegion, files: Record<string, string>): string {
  const count = (label: string) => demo.truth.filter((t) => t.planted === label).length;
  const sizes = Object.keys(files)
    .sort()
    .map((f) => `| \`${f}\` | ${(Buffer.byteLength(files[f]) / 1024).toFixed(0)} KB |`);
  return `# Riverbend — synthetic demo data

**Riverbend is a fictional city. Every figure in this folder is made up.** State 99 is not a real FIPS
code; the tracts, households and incomes were drawn at random from a seeded generator. Do not cite them.

Made by \`scripts/demo/generate.ts\` (seed ${demo.seed}) through \`scripts/make-demo.ts\`. Remake with

\`\`\`sh
npm run demo            # = npx tsx scripts/make-demo.ts --out data/demo
\`\`\`

The same seed gives the same files byte for byte.

## How it was made
- **Tracts**: Voronoi cells of seed points (closer together downtown) clipped to an irregular city outline
  (~25 × 20 km around ${(-89.9).toFixed(1)}, 40.7), with a meandering river cut out of the land. The river
  divides county 001 (north bank) from county 003 (south bank). ${demo.boundaries2000.length} tracts in the 2000
  vintage; ${demo.splits.length} of them were split in two for 2010 (Census convention: 000500 → 000501 and
  000502), giving ${demo.boundaries2010.length} tracts in the 2010 vintage, used by 2018 and 2023.
- **Incomes**: households in the 16 Census brackets (B19001 / P052), each tract's households drawn from a
  lognormal distribution whose median (as a share of the region's AMI) and spread depend on the planted
  pattern. 2000 = Census 2000 (1999 dollars, no margins of error); 2018 = ACS 2014–18 and 2023 = ACS 2019–23
  (dollars of those years, with ACS-like 90% margins of error: 1.645·√(k·count + 50), k = 9 for 2018 and
  11 for 2023, and 12 for a zero count).
  The region AMI (median of the pooled brackets) is pinned to ${demo.years.map((y) => `$${y.targetAmi.toLocaleString('en-US')} (${y.incomeYear})`).join(', ')}:
  CPI-U inflation plus 5% (2018) and 8% (2023) real growth over 1999. To keep it there while the corridor
  moves up, the working-class ordinary tracts absorb the region's household growth (×${demo.years[1].workingHouseholdGrowth} by 2018).
- **Crosswalk** \`crosswalk-2000-2010.csv\`: each 2000 tract to its 2010 tract(s), weights = the halves'
  shares of the 2000 households (rows of a source sum to 1).

## Planted patterns (\`truth.csv\`, one row per 2010 tract)

| label | tracts | what was planted |
|---|---|---|
${PLANTED_PATTERNS.map((p) => `| \`${p}\` | ${count(p)} | ${PATTERN_NOTES[p]} |`).join('\n')}

## Layers (issue 12: your own areas and assets)
- \`areas.geojson\`: made-up neighbourhoods (property \`name\`), one per planted zone, drawn as the union of
  its 2010 tracts (the stable mixed-income zone has two parts: Elm Park and Southgate), plus **Downtown**, a
  1.6 km circle that cuts through tracts (the share rule counts parts of tracts). Made by \`scripts/demo/layers.ts\`.
- \`assets.csv\`: made-up community assets (\`name,category,latitude,longitude\`: libraries, schools, parks,
  clinics) placed at random inside tracts; Southgate has no library. Three rows are unusable on purpose:
  one without a latitude and one with latitude 407.1 (rejected, with their lines) and one in the river
  (outside every tract). \`points-assets.geojson\` is the bundle's copy of the usable points.

\`test/demo/demo.test.ts\` recovers \`stable_mixed\` and \`income_upgrading\` (and the others) from the
tables with the rules of METHOD.md §5 at precision and recall ≥ 0.9, for 2000 → 2018 and 2000 → 2023.

## Files

| file | size |
|---|---|
${sizes.join('\n')}
`;
}

/** Every file of the demo folder (name → text): the bundle, truth.csv and README.md. */
export function demoFiles(demo: DemoRegion): Record<string, string> {
  const neighbourhoods = demoNeighbourhoods(demo);
  const assetsCsv = demoAssetsCsv(demo, neighbourhoods, demo.seed);
  const assets = readPointLayer('assets.csv', new TextEncoder().encode(assetsCsv));
  const { files: built } = buildBundle({
    // The demo stays readable text (it is small and embedded in the app as text).
    incomeFormat: 'csv',
    name: demo.name,
    description:
      'A fictional city with planted patterns: stable mixed-income neighbourhoods, an income-upgrading riverfront corridor, ' +
      'concentrated poverty, an affluent enclave. Synthetic demo data: every figure is made up.',
    synthetic: true,
    createdBy: `scripts/make-demo.ts (seed ${demo.seed})`,
    boundaries: [
      { key: '2000', features: demo.boundaries2000, source: `${SYNTHETIC}: 2000 tract vintage` },
      { key: '2010', features: demo.boundaries2010, source: `${SYNTHETIC}: 2010 tract vintage` },
    ],
    years: demo.years.map((y) => ({
      table: y.table,
      boundaries: y.boundaries,
      source: `${SYNTHETIC}: ${y.year === 2000 ? 'Census 2000-like, 1999 dollars' : `ACS ${y.year - 4}–${String(y.year).slice(2)}-like, ${y.incomeYear} dollars, with MOEs`}`,
    })),
    crosswalks: [{ from: '2000', to: '2010', rows: demo.crosswalk, source: `${SYNTHETIC}: 2000 household shares of split tracts` }],
    notes: [
      'Riverbend is fictional; state 99 is not a real FIPS code. All figures are synthetic.',
      `Region AMI targets: ${demo.years.map((y) => `${y.incomeYear} $${y.targetAmi}`).join(', ')} (CPI-U plus 5% / 8% real growth over 1999).`,
      'truth.csv holds the planted pattern of each 2010 tract.',
      'areas.geojson: made-up neighbourhoods drawn around the planted zones, and a Downtown circle; assets.csv: made-up community assets (2 rows rejected and 1 point in the river on purpose), carried as points-assets.geojson.',
    ],
    areas: { features: neighbourhoods, nameField: 'name', source: `${SYNTHETIC}: neighbourhoods around the planted zones (scripts/demo/layers.ts)` },
    points: [{ name: 'assets', points: assets.points, source: `assets.csv, ${SYNTHETIC.replace('generate.ts', 'layers.ts')}`, categoryField: assets.fields.category, rejected: assets.rejected.length, rejectedRows: assets.rejected }],
  });
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(built)) {
    if (typeof content !== 'string') throw new Error(`${name} is binary; the demo holds text files only`);
    files[name] = content;
  }
  files['assets.csv'] = assetsCsv;
  files['truth.csv'] = toCsv(['GEOID', 'planted'], demo.truth.map((t) => [t.GEOID, t.planted]));
  files['README.md'] = readme(demo, files);
  return files;
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'data/demo' }, seed: { type: 'string' } } });
  const out = values.out!;
  const seed = values.seed === undefined ? DEMO_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed "${values.seed}" is not an integer`);
  const demo = generateDemo(seed);
  const files = demoFiles(demo);
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  const total = Object.values(files).reduce((s, t) => s + Buffer.byteLength(t), 0);
  process.stderr.write(
    `wrote ${Object.keys(files).length} files (${(total / 1024 / 1024).toFixed(2)} MB) to ${out}: ` +
      `${demo.boundaries2000.length} tracts (2000), ${demo.boundaries2010.length} (2010)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
