/**
 * What crosses from the loading worker to the page: a dataset packed into typed arrays comes back
 * with exactly the same values (the demo's three years with MOEs and missing medians, a tiled tract
 * list), and an InputError comes back as an InputError with the same problem and message.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadBundle } from '../../src/data/bundle';
import { datasetFromBundle, type Dataset } from '../../src/data/dataset';
import { InputError } from '../../src/data/errors';
import { fromWireError, packDataset, toWireError, unpackDataset } from '../../src/ui/loadMessages';
import { toSnapshot, type IncomeUnit } from '../../src/data/income';

describe('packDataset / unpackDataset', () => {
  it('the demo crosses exactly, its buffers moved', async () => {
    const d = datasetFromBundle(await loadBundle(async (f) => new Uint8Array(readFileSync(`data/demo/${f}`))));
    expect(d.years.some((y) => y.table.units.some((u) => u.moe !== null))).toBe(true);
    // A unit without a published median or total MOE, and one without MOEs at all.
    d.years[2].table.units[0] = { ...d.years[2].table.units[0], publishedMedian: null, totalMoe: null };
    d.years[2].table.units[1] = { ...d.years[2].table.units[1], moe: null };
    const { dataset, transfer } = packDataset(d);
    expect(transfer.length).toBeGreaterThanOrEqual(3 * 6);
    const crossed = structuredClone(dataset, { transfer });
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true); // moved, not copied
    const back = unpackDataset(crossed);
    // The same values; counts and MOEs come back as views of one array per year (no array per unit).
    const plain = (units: readonly IncomeUnit[]) => units.map((u) => ({ ...u, counts: Array.from(u.counts), moe: u.moe && Array.from(u.moe) }));
    expect(back.years.map((y) => plain(y.table.units))).toEqual(d.years.map((y) => plain(y.table.units)));
    back.years.forEach((y, i) => {
      const [first, second] = y.table.units;
      expect(first.counts).toBeInstanceOf(Float64Array);
      expect((second.counts as Float64Array).buffer).toBe((first.counts as Float64Array).buffer);
      // The snapshot reads the same memory: no copy of the counts (data/income.ts toSnapshot).
      const snapshot = toSnapshot(y.table);
      expect(snapshot.counts.buffer).toBe((first.counts as Float64Array).buffer);
      expect(Array.from(snapshot.counts)).toEqual(Array.from(toSnapshot(d.years[i].table).counts));
    });
    // MOEs: the 2018 year has them for every unit, so its snapshot reads them in place too; the year with a unit without MOEs is copied (NaN there).
    const moeYear = back.years.findIndex((y, i) => i !== 2 && y.table.units.every((u) => u.moe !== null));
    expect(moeYear).toBeGreaterThanOrEqual(0);
    expect(toSnapshot(back.years[moeYear].table).moe!.buffer).toBe((back.years[moeYear].table.units[0].moe as Float64Array).buffer);
    const copied = toSnapshot(back.years[2].table);
    expect(copied.moe!.buffer).not.toBe((back.years[2].table.units[0].moe as Float64Array).buffer);
    expect(Number.isNaN(copied.moe![1 * d.years[2].table.set.lowerEdges.length])).toBe(true);
    expect(Array.from(copied.moe!)).toEqual(Array.from(toSnapshot(d.years[2].table).moe!));
    expect(back.years.map((y) => ({ ...y.table, units: null }))).toEqual(d.years.map((y) => ({ ...y.table, units: null })));
    expect(back.reports).toEqual(d.reports);
    expect([...back.crosswalks]).toEqual([...d.crosswalks]);
  });
  it('a tiled tract list crosses exactly', () => {
    const tracts = [
      { geoid: '08031000102', name: '1.02', lon: -104.98765432, lat: 39.7654321 },
      { geoid: '08031000201', name: 'Census Tract 2.01, "quoted"', lon: -105.0, lat: 39.1 },
    ];
    const d = { years: [], tiles: new Map([['main', { key: 'main', listFile: 'tracts-main.csv', units: 'tract', file: 'b.pmtiles', layer: 'tracts', minzoom: 0, maxzoom: 11, bounds: [0, 0, 1, 1], tracts, url: null }]]) } as unknown as Dataset;
    const { dataset, transfer } = packDataset(d);
    expect(unpackDataset(structuredClone(dataset, { transfer })).tiles!.get('main')!.tracts).toEqual(tracts);
  });
});

describe('errors across the worker boundary', () => {
  it('an InputError keeps its file, line, column, action and message', () => {
    const e = new InputError({ file: 'income-2023.csv', row: 432, rowKind: 'line', column: 'GEOID', problem: 'GEOID 99001000300 appears twice (lines 3 and 432)', expected: 'one row per tract', action: 'Remove the duplicate row.' });
    const back = fromWireError(structuredClone(toWireError(e)));
    expect(back).toBeInstanceOf(InputError);
    expect((back as InputError).problem).toEqual(e.problem);
    expect(back.message).toBe('income-2023.csv, line 432, column "GEOID": GEOID 99001000300 appears twice (lines 3 and 432); expected one row per tract. Remove the duplicate row.');
  });
  it('any other error keeps its message', () => {
    const back = fromWireError(structuredClone(toWireError(new RangeError('no point for tract 1'))));
    expect(back).not.toBeInstanceOf(InputError);
    expect(back.message).toBe('no point for tract 1');
  });
});
