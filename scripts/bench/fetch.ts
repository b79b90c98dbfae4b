/**
 * Fetch benchmark: `tractmix fetch` for one county (Denver County, 2000 + 2008–12 + 2014–18: two
 * vintages, a relationship file) and for nine counties (one year), against the local stand-in for
 * the Census services, as a ratio to the time of the downloads alone (the same URLs fetched and
 * read, nothing parsed) measured in the same run. What the ratio shows is tractmix's own cost on
 * top of the network; on the real services the downloads dominate far more.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../src/data/bundle';
import { makeDownloader, memoryCache } from '../../src/data/census/download';
import { fetchDataset } from '../../src/data/census/fetchDataset';
import { resolvePlacesForFetch } from '../../src/data/census/placeCounties';
import { startCensusServer } from '../../test/helpers/censusServer';
import { median } from './common';

const RUNS = 5;

export async function benchFetch(): Promise<string[]> {
  if (!process.env.TRACTMIX_SHARED) return ['fetch: skipped (TRACTMIX_SHARED is not set; the Census services double is built from ../shared/data)'];
  const server = await startCensusServer();
  const out = mkdtempSync(join(tmpdir(), 'tractmix-bench-fetch-'));
  const lines: string[] = [];
  try {
    const cases = [
      { name: 'Denver County, 3 years (2 vintages)', places: ['Denver County, CO'], years: [2000, 2012, 2018] },
      { name: 'UDP Denver region, 9 counties, 2014–18', places: ['08001', '08005', '08013', '08014', '08019', '08031', '08035', '08047', '08059'], years: [2018] },
    ];
    for (const c of cases) {
      const { counties, labels, countiesInYear } = resolvePlacesForFetch(c.places, Math.max(...c.years));
      const pipeline: number[] = [];
      const downloads: number[] = [];
      let urls: string[] = [];
      let bytes = 0;
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        const fetched = await fetchDataset(
          { placeLabels: labels, counties, countiesInYear, years: c.years, unit: 'tract', apiBase: server.apiBase, tigerBase: server.tigerBase, geoBase: server.geoBase },
          makeDownloader({ fetch: globalThis.fetch, cache: memoryCache() }),
        );
        const { files } = buildBundle(fetched.input);
        for (const [name, text] of Object.entries(files)) writeFileSync(join(out, `${run}-${name}`), text);
        pipeline.push(performance.now() - t0);
        urls = (fetched.input.provenance ?? []).map((p) => p.url);
        bytes = (fetched.input.provenance ?? []).reduce((s, p) => s + p.bytes, 0);
        // Baseline: the same downloads, bodies read, nothing parsed.
        const t1 = performance.now();
        for (const url of urls) await (await fetch(url)).arrayBuffer();
        downloads.push(performance.now() - t1);
      }
      const p = median(pipeline);
      const d = median(downloads);
      lines.push(
        `fetch ${c.name}: fetch+build ${p.toFixed(0)} ms vs downloads alone ${d.toFixed(0)} ms (${urls.length} files, ${(bytes / 1e6).toFixed(1)} MB, local server) = ${(p / d).toFixed(1)}× (median of ${RUNS})`,
      );
    }
  } finally {
    await server.close();
    rmSync(out, { recursive: true, force: true });
  }
  return lines;
}
