/**
 * Fuzz suite of the CLI (issue 9): generated hostile and broken input for every input family,
 * run in-process. Invariants on every case: exit 0 or 2 only, never "internal error" or a stack
 * trace, rows read = usable + rejected, no output row without its input, households conserved
 * (or the difference said) through crosswalks, nothing outside a bundle read, bounded heap.
 * Case counts per family are printed at the end (README, "Fuzz suite").
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { topology } from 'topojson-server';
import { shapefileBytes } from '../helpers/shapefile';
import { accounting, outputIds, runChecked, scratch, SEED, tallyReport, tallyTotal, tractId, UDP_HEADER, udpRow, UPPERS } from './harness';

const files = scratch('cli');
afterAll(() => {
  files.done();
  console.log(tallyReport());
});

/** A position in a file, as a share of its length (uniform: fc.double favours 0 and 1). */
const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
const counts16 = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 16, maxLength: 16 });
const run = (n: number) => ({ numRuns: n, seed: SEED, endOnFailure: true });

// ---------------------------------------------------------------------------------------------
// CSV framings and encodings

type Corruption = 'openQuote' | 'strayQuote' | 'extraCell' | 'missingCell' | 'blankLine' | 'nulByte';
const corruption = fc.record({ row: fc.nat(), kind: fc.constantFrom<Corruption>('openQuote', 'strayQuote', 'extraCell', 'missingCell', 'blankLine', 'nulByte') });

function encode(text: string, encoding: 'utf8' | 'bom' | 'utf16le' | 'latin1'): Uint8Array {
  if (encoding === 'bom') return new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(text)]);
  if (encoding === 'utf16le') {
    const out = new Uint8Array(2 + text.length * 2);
    out[0] = 0xff;
    out[1] = 0xfe;
    for (let i = 0; i < text.length; i++) {
      out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      out[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    return out;
  }
  if (encoding === 'latin1') return Uint8Array.from(text, (c) => Math.min(0xff, c.charCodeAt(0)));
  return strToU8(text);
}

describe('fuzz: CSV framings and encodings', () => {
  it('every data line is accounted for: read = usable + rejected = lines, corrupted lines rejected, the rest used', async () => {
    const name = fc.stringMatching(/^[A-Za-zñé ,'-]{0,16}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ counts: counts16, name }), { minLength: 2, maxLength: 25 }),
        fc.array(corruption, { maxLength: 4 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('utf8', 'bom', 'utf16le', 'latin1') as fc.Arbitrary<'utf8' | 'bom' | 'utf16le' | 'latin1'>,
        async (rows, corruptions, eol, sep, encoding) => {
          const quote = (s: string) => (s.includes(sep) || s.includes('"') ? `"${s.replace(/"/g, '""')}"` : s);
          const header = ['GEOID', 'NAME', ...UDP_HEADER.slice(1)];
          // Corruptions act on the number cells (index 2 on), before the name is quoted.
          const cellRows = rows.map((r, i) => {
            const [id, ...rest] = udpRow(tractId(i), r.counts);
            return [id, quote(r.name), ...rest];
          });
          const broken = new Set<number>();
          for (const c of corruptions) {
            if (c.kind === 'blankLine') continue;
            const i = c.row % cellRows.length;
            if (broken.has(i)) continue;
            const cells = cellRows[i];
            if (c.kind === 'openQuote') cells[2] = '"' + cells[2];
            if (c.kind === 'strayQuote') cells[3] = cells[3].slice(0, 1) + '"' + cells[3].slice(1);
            if (c.kind === 'extraCell') cells.push('7');
            if (c.kind === 'missingCell') cells.pop();
            if (c.kind === 'nulByte') cells[4] = cells[4] + '\u0000';
            broken.add(i);
          }
          const lines = cellRows.map((cells) => cells.join(sep));
          let blanks = 0;
          for (const c of corruptions) {
            if (c.kind !== 'blankLine') continue;
            lines.splice(c.row % lines.length, 0, '');
            blanks++;
          }
          const text = [header.join(sep), ...lines].join(eol) + eol;
          // NUL bytes make a binary file: refused as a whole, which the invariants allow.
          const path = files.file('income_2018.csv', encode(text, encoding));
          const r = await runChecked('csv-framing', ['analyze', '--income', path]);
          if (r.code !== 0) {
            expect(corruptions.some((c) => c.kind === 'nulByte') || broken.size >= rows.length, r.stderr).toBe(true);
            return;
          }
          const [report] = accounting(r.stderr);
          expect(report.read).toBe(lines.length - blanks);
          expect(report.rejected).toBe(broken.size);
          const ids = outputIds(r.stdout);
          expect(ids.length).toBe(report.usable);
          const inputIds = new Set(rows.map((_, i) => tractId(i)));
          for (const id of ids) expect(inputIds.has(id)).toBe(true);
        },
      ),
      run(80),
    );
  });

  it('a file cut off at any byte: rows accounted for, no row invented', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(counts16, { minLength: 6, maxLength: 14 }), fraction, async (rows, at) => {
        const text = [UDP_HEADER, ...rows.map((c, i) => udpRow(tractId(i), c))].map((r) => r.join(',')).join('\n') + '\n';
        const cut = strToU8(text).slice(0, Math.floor(at * text.length));
        const r = await runChecked('csv-truncated', ['analyze', '--income', files.file('cut_2018.csv', cut)]);
        if (r.code === 0) {
          const [report] = accounting(r.stderr);
          expect(report.read).toBeLessThanOrEqual(rows.length);
          const ids = outputIds(r.stdout);
          for (const id of ids) expect(text).toContain(id);
        }
      }),
      run(30),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Ids

type IdForm = 'plain' | 'lostZero' | 'float' | 'prefix' | 'sci' | 'blockGroup' | 'garbage' | 'empty' | 'rounded';
describe('fuzz: ids', () => {
  it('each id is read from its own form: no row re-keyed, output ids of one length, each from its own row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ form: fc.constantFrom<IdForm>('plain', 'plain', 'plain', 'lostZero', 'float', 'prefix', 'sci', 'blockGroup', 'garbage', 'empty', 'rounded'), counts: counts16 }), { minLength: 1, maxLength: 20 }),
        async (rows) => {
          // Colorado (08) so a lost leading zero is possible.
          const base = (i: number) => `08031${String(10000 + i).padStart(6, '0')}`;
          const written = rows.map((r, i) => {
            const id = base(i);
            switch (r.form) {
              case 'lostZero': return id.slice(1);
              case 'float': return `${id.slice(1)}.0`;
              case 'prefix': return `1400000US${id}`;
              case 'sci': return `${id[1]}.${id.slice(2)}E+9`;
              case 'blockGroup': return `${id}1`;
              case 'garbage': return `tract-${i}`;
              case 'empty': return '';
              case 'rounded': return '8.031E+09';
              default: return id;
            }
          });
          const text = [UDP_HEADER, ...rows.map((r, i) => udpRow(written[i], r.counts))].map((x) => x.join(',')).join('\n');
          const r = await runChecked('ids', ['analyze', '--income', files.file('ids_2018.csv', text)]);
          if (r.code !== 0) return;
          const [report] = accounting(r.stderr);
          expect(report.read).toBe(rows.length);
          const ids = outputIds(r.stdout);
          expect(new Set(ids.map((g) => g.length)).size).toBeLessThanOrEqual(1);
          const bg = rows.filter((x) => x.form === 'blockGroup').length;
          const tracts = rows.filter((x) => ['plain', 'lostZero', 'float', 'prefix', 'sci'].includes(x.form)).length;
          // The majority unit is read; the other is rejected, never padded or cut.
          if (bg > tracts) expect(ids.every((g) => g.length === 12)).toBe(true);
          else {
            expect(ids).toEqual(rows.map((_, i) => base(i)).filter((_, i) => ['plain', 'lostZero', 'float', 'prefix', 'sci'].includes(rows[i].form)));
            if (bg > 0) expect(r.stderr).toMatch(/mixes tracts and block groups/);
          }
        },
      ),
      run(60),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Counts and sentinels

const BAD_CELLS = ['*****', '**', '(X)', 'N', '-', '', '-666666666', '-999999999', '-888888888', '-222222222', '-333333333', '-555555555', 'NaN', 'Infinity', '0x10', '1e20', '1e308', '-1', '12abc', '#N/A', 'null', '1,0', '"'];
describe('fuzz: counts and sentinels', () => {
  it('a row with a code, an implausible or a malformed count is rejected by row; the good rows alone set the AMI', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ counts: counts16, bad: fc.option(fc.record({ cell: fc.integer({ min: 1, max: 16 }), value: fc.constantFrom(...BAD_CELLS) }), { freq: 2 }) }), { minLength: 2, maxLength: 20 }),
        async (rows) => {
          const lines = rows.map((r, i) => {
            const row = udpRow(tractId(i), r.counts);
            if (r.bad) row[r.bad.cell] = r.bad.value.includes(',') || r.bad.value.includes('"') ? `"${r.bad.value.replace(/"/g, '""')}"` : r.bad.value;
            return row.join(',');
          });
          const text = [UDP_HEADER.join(','), ...lines].join('\n');
          const r = await runChecked('counts', ['analyze', '--income', files.file('counts_2018.csv', text)]);
          const good = rows.filter((x) => !x.bad);
          const goodHouseholds = good.reduce((s, x) => s + x.counts.reduce((a, b) => a + b, 0), 0);
          if (r.code !== 0) {
            expect(goodHouseholds === 0 || good.length === 0, r.stderr).toBe(true);
            return;
          }
          const [report] = accounting(r.stderr);
          expect(report.usable).toBe(good.length);
          expect(outputIds(r.stdout)).toEqual(rows.map((_, i) => tractId(i)).filter((_, i) => !rows[i].bad));
          expect(r.stderr).toMatch(/AMI \$\d+ /);
        },
      ),
      run(60),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Column mappings

describe('fuzz: column mappings', () => {
  const income = files.file('mapped_2018.csv', [UDP_HEADER, udpRow(tractId(0), UPPERS.map(() => 3)), udpRow(tractId(1), UPPERS.map(() => 5))].map((r) => r.join(',')).join('\n'));
  const valid = { id: 'GEOID', total: 'hh_18', brackets: UDP_HEADER.slice(2), year: 2018 };
  const keys = ['id', 'total', 'brackets', 'bracketSet', 'moe', 'totalMoe', 'median', 'year', 'incomeYear', 'headerRows', 'universe', 'unitKind', 'boundaryId', '__proto__', 'constructor', 'toString', 'extra'];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'B19001', 'P080', 0, -1, 1.5, 2, 1e308, null, [], {}, 'GEOID', 'hh_18'),
  );
  it('any JSON as a mapping: a message or a result, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 5 }), fc.boolean(), fc.constantFrom('object', 'deep', 'array', 'scalar'), async (edits, keepValid, shape) => {
        let text: string;
        if (shape === 'deep') text = '['.repeat(200_000) + ']'.repeat(200_000);
        else if (shape === 'array') text = JSON.stringify([valid]);
        else if (shape === 'scalar') text = JSON.stringify(edits[0]?.[1] ?? null);
        else {
          const body = edits.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
          const base = keepValid ? Object.entries(valid).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`) : [];
          text = `{${[...base, ...body].join(', ')}}`;
        }
        const r = await runChecked('mappings', ['analyze', '--income', income, '--columns', files.file('mapping.json', text)]);
        if (r.code === 0) accounting(r.stderr);
      }),
      run(50),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Boundaries: GeoJSON, TopoJSON, shapefile, zip

type Square = [number, number][];
const square = (x: number, y: number, s = 0.01): Square => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
type GeometryFault = 'none' | 'bowTie' | 'unclosed' | 'holeOutside' | 'null' | 'point' | 'nanCoordinate' | 'stringCoordinate' | 'metres' | 'empty' | 'noGeoid' | 'numericGeoid' | 'blockGroupId';
const geometryFault = fc.oneof(
  { arbitrary: fc.constant<GeometryFault>('none'), weight: 12 },
  { arbitrary: fc.constantFrom<GeometryFault>('bowTie', 'unclosed', 'holeOutside', 'null', 'point', 'nanCoordinate', 'stringCoordinate', 'empty', 'noGeoid', 'numericGeoid', 'blockGroupId'), weight: 8 },
  { arbitrary: fc.constant<GeometryFault>('metres'), weight: 1 },
);

function faultyFeature(i: number, fault: GeometryFault): unknown {
  const x = -87.7 + (i % 10) * 0.02;
  const y = 41.8 + Math.floor(i / 10) * 0.02;
  const ring = square(x, y);
  const geometry: Record<GeometryFault, unknown> = {
    none: { type: 'Polygon', coordinates: [ring] },
    bowTie: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]]] },
    unclosed: { type: 'Polygon', coordinates: [ring.slice(0, 4)] },
    holeOutside: { type: 'Polygon', coordinates: [ring, square(x + 1, y + 1, 0.001)] },
    null: null,
    point: { type: 'Point', coordinates: [x, y] },
    nanCoordinate: { type: 'Polygon', coordinates: [[[x, y], [null, y], [x + 0.01, y + 0.01], [x, y]]] },
    stringCoordinate: { type: 'Polygon', coordinates: [[[String(x), y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y]]] },
    metres: { type: 'Polygon', coordinates: [square(500_000 + i * 1000, 4_600_000, 1000)] },
    empty: { type: 'Polygon', coordinates: [] },
    noGeoid: { type: 'Polygon', coordinates: [ring] },
    numericGeoid: { type: 'Polygon', coordinates: [ring] },
    blockGroupId: { type: 'Polygon', coordinates: [ring] },
  };
  const GEOID = fault === 'noGeoid' ? undefined : fault === 'numericGeoid' ? Number(tractId(i)) : fault === 'blockGroupId' ? `${tractId(i)}1` : tractId(i);
  return { type: 'Feature', properties: GEOID === undefined ? { NAME: 'x' } : { GEOID }, geometry: geometry[fault] };
}

describe('fuzz: boundaries', () => {
  const n = 12;
  const income = files.file('b_2018.csv', [UDP_HEADER, ...Array.from({ length: n }, (_, i) => udpRow(tractId(i), UPPERS.map((_, j) => (i + j) % 9)))].map((r) => r.join(',')).join('\n'));
  const incomeIds = new Set(Array.from({ length: n }, (_, i) => tractId(i)));

  it('GeoJSON and TopoJSON with broken geometry or bytes: every output feature has an input feature and a usable row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(geometryFault, { minLength: n, maxLength: n }),
        fc.constantFrom('geojson', 'topojson'),
        fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.record({ at: fraction, op: fc.constantFrom('truncate', 'flip') }), weight: 1 }),
        async (faults, format, damage) => {
          const fcoll = { type: 'FeatureCollection', features: faults.map((f, i) => faultyFeature(i, f)) };
          let text = format === 'geojson' ? JSON.stringify(fcoll) : '';
          if (format === 'topojson') {
            try {
              text = JSON.stringify(topology({ tracts: fcoll as GeoJSON.FeatureCollection }));
            } catch {
              text = JSON.stringify(fcoll); // topojson-server refuses some faults: the GeoJSON goes in as .topojson
            }
          }
          let bytes = strToU8(text);
          if (damage) {
            const at = Math.floor(damage.at * bytes.length);
            bytes = damage.op === 'truncate' ? bytes.slice(0, at) : bytes.map((b, i) => (i === at ? b ^ 0x5a : b));
          }
          const out = join(files.dir, `out-${Math.random().toString(36).slice(2)}.geojson`);
          const r = await runChecked('boundaries-json', ['analyze', '--income', income, '--boundaries', files.file(`b.${format}`, bytes), '--out', out]);
          if (r.code !== 0) return;
          const written = JSON.parse(readFileSync(out, 'utf8')) as GeoJSON.FeatureCollection;
          for (const f of written.features) expect(incomeIds.has(String(f.properties?.GEOID))).toBe(true);
          if (!damage) {
            // Faults that leave a usable tract: unclosed rings are closed; ids repaired.
            const usable = faults.map((f, i) => (['none', 'unclosed', 'numericGeoid'].includes(f) ? tractId(i) : null)).filter((g) => g !== null);
            if (!faults.includes('metres')) expect(written.features.map((f) => f.properties?.GEOID).sort()).toEqual(usable.sort());
          }
        },
      ),
      run(60),
    );
  });

  it('shapefiles loose or zipped, with damaged parts, .prj mismatches and zip bombs', async () => {
    const records = Array.from({ length: 6 }, (_, i) => ({ rings: [square(-87.7 + i * 0.02, 41.8).reverse() as [number, number][]], fields: { GEOID: tractId(i) } }));
    const { shp, dbf } = shapefileBytes(records);
    const WEB_MERCATOR = 'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';
    const NAD83 = 'GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('loose', 'zip'),
        fc.constantFrom('none', 'webMercator', 'nad83', 'garbage', 'empty'),
        fc.constantFrom('none', 'truncateShp', 'truncateDbf', 'flipShp', 'flipDbf', 'dropDbf', 'bomb', 'twoLayers', 'truncateZip'),
        fraction,
        async (packaging, prj, damage, at) => {
          const cut = (b: Uint8Array) => b.slice(0, Math.floor(at * b.length));
          const flip = (b: Uint8Array) => b.map((x, i) => (i === Math.floor(at * b.length) ? x ^ 0xff : x));
          const parts: Record<string, Uint8Array> = {
            't.shp': damage === 'truncateShp' ? cut(shp) : damage === 'flipShp' ? flip(shp) : shp,
            't.dbf': damage === 'truncateDbf' ? cut(dbf) : damage === 'flipDbf' ? flip(dbf) : dbf,
          };
          if (damage === 'dropDbf') delete parts['t.dbf'];
          if (prj !== 'none') parts['t.prj'] = strToU8(prj === 'webMercator' ? WEB_MERCATOR : prj === 'nad83' ? NAD83 : prj === 'garbage' ? 'PROJCS["nonsense' : '');
          if (damage === 'twoLayers') parts['u.geojson'] = strToU8('{"type":"FeatureCollection","features":[]}');
          let argPath: string;
          if (packaging === 'zip' || damage === 'bomb' || damage === 'truncateZip') {
            let zip = zipSync(parts);
            if (damage === 'bomb') {
              const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
              for (let i = 0; i + 46 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 2 ** 31, true);
            }
            if (damage === 'truncateZip') zip = cut(zip);
            argPath = files.file('t.zip', zip);
          } else {
            const dir = join(files.dir, `shp-${Math.random().toString(36).slice(2)}`);
            mkdirSync(dir);
            for (const [name, bytes] of Object.entries(parts)) writeFileSync(join(dir, name), bytes);
            argPath = join(dir, 't.shp');
          }
          const income = files.file('s_2018.csv', [UDP_HEADER, ...records.map((rec, i) => udpRow(rec.fields.GEOID, UPPERS.map(() => i + 1)))].map((x) => x.join(',')).join('\n'));
          const r = await runChecked('boundaries-shapefile', ['analyze', '--income', income, '--boundaries', argPath]);
          if (prj === 'webMercator' && damage === 'none') expect(r.stderr).toMatch(/t\.prj: it says the coordinates are projected/);
          if (damage === 'bomb') expect(r.stderr).toMatch(/expands to more than 512 MB/);
        },
      ),
      run(50),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Crosswalks

describe('fuzz: crosswalks', () => {
  const [xHeader, ...xRows] = readFileSync('data/demo/crosswalk-2000-2010.csv', 'utf8').trim().split('\n');
  const rowsOf = (file: string) => {
    const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
    const h = head.split(',');
    return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [h[i], v])));
  };
  const hh2000 = new Map(rowsOf('data/demo/income-2000.csv').map((r) => [r.GEOID, Number(r.hh_00)]));
  const targets2023 = new Set(rowsOf('data/demo/income-2023.csv').map((r) => r.GEOID));
  const BAD_WEIGHTS = ['NaN', '-1', '2', 'x', '', '1e308', '0x1'];

  it('households after the move = Σ weight × households of the accepted rows; every non-conserving crosswalk is named', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ row: fc.nat(), op: fc.constantFrom('duplicate', 'scale', 'drop', 'badWeight', 'badId') , factor: fc.constantFrom(0, 0.25, 0.5, 0.999, 1.5, 2), bad: fc.constantFrom(...BAD_WEIGHTS) }), { maxLength: 12 }),
        async (ops) => {
          const rows = xRows.map((l) => l.split(','));
          const extra: string[][] = [];
          for (const o of ops) {
            const i = o.row % rows.length;
            if (o.op === 'duplicate') extra.push([...rows[i]]);
            if (o.op === 'scale') rows[i][2] = String(Math.min(1, Number(rows[i][2]) * o.factor));
            if (o.op === 'drop') rows[i] = [];
            if (o.op === 'badWeight') rows[i][2] = o.bad;
            if (o.op === 'badId') rows[i][0] = 'tract?';
          }
          const all = [...rows.filter((r) => r.length), ...extra];
          const text = [xHeader, ...all.map((r) => r.join(','))].join('\n') + '\n';
          const r = await runChecked('crosswalks', ['change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023', '--crosswalk', files.file('x.csv', text)]);
          if (r.code !== 0) return;
          // Independently: the rows the reader must accept, and what they make of the 2000 households.
          const accepted = all.filter((x) => /^\d{11}$/.test(x[0]) && /^\d+(\.\d+)?(e-?\d+)?$/i.test(x[2]) && Number(x[2]) <= 1);
          const after = accepted.filter((x) => targets2023.has(x[1])).reduce((s, x) => s + Number(x[2]) * (hh2000.get(x[0]) ?? 0), 0);
          const before = [...hh2000.values()].reduce((a, b) => a + b, 0);
          const m = /households 2000: ([\d.]+) before the move, ([\d.]+) after/.exec(r.stderr);
          expect(m, r.stderr).not.toBeNull();
          expect(Number(m![1])).toBeCloseTo(before, 0);
          expect(Number(m![2])).toBeCloseTo(after, 0);
          const sums = new Map<string, number>();
          for (const x of accepted) sums.set(x[0], (sums.get(x[0]) ?? 0) + Number(x[2]));
          const off = [...sums.values()].some((s) => Math.abs(s - 1) > 0.01);
          expect(/do not add up to 1/.test(r.stderr)).toBe(off);
          if (Math.abs(after - before) > 0.001 * before) expect(r.stderr).toMatch(/the move changes the 2000 households/);
        },
      ),
      run(40),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Bundles

describe('fuzz: bundles', () => {
  const secret = files.file('secret.csv', 'SECRET-MARKER-7f3a\n');
  const meta = JSON.parse(readFileSync('data/demo/bundle.json', 'utf8'));
  const paths: string[][] = [['name'], ['years'], ['boundaries'], ['crosswalks'], ['years', '0'], ['years', '0', 'file'], ['years', '1', 'year'], ['years', '2', 'boundaries'], ['boundaries', '0', 'file'], ['boundaries', '1'], ['crosswalks', '0', 'file'], ['format'], ['version'], ['notes']];
  const values = fc.oneof(
    fc.constantFrom(null, undefined, 0, -1, 2018, '2018', '', [], {}, true, '../secret.csv', '../../../../../../etc/passwd', '/etc/passwd', 'https://127.0.0.1:9/x', 'income-2018.csv', 'boundaries-2010.topojson', '__proto__'),
    fc.jsonValue({ maxDepth: 2 }),
  );
  it('edited bundle.json and damaged bundle files: a message or a result; nothing outside the bundle read or echoed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...paths), values), { maxLength: 3 }),
        fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.record({ file: fc.constantFrom('boundaries-2010.topojson', 'income-2023.csv', 'income-2000.csv', 'crosswalk-2000-2010.csv'), at: fraction, op: fc.constantFrom('truncate', 'flip', 'empty', 'deep') }), weight: 1 }),
        fc.constantFrom('summary', 'change'),
        async (edits, damage, command) => {
          const dir = join(files.dir, `bundle-${Math.random().toString(36).slice(2)}`);
          cpSync('data/demo', dir, { recursive: true });
          const m = structuredClone(meta);
          for (const [path, value] of edits) {
            let target = m;
            for (const key of path.slice(0, -1)) target = target?.[key];
            if (target && typeof target === 'object') target[path[path.length - 1]] = value === '../secret.csv' ? `../${secret.split('/').pop()}` : value;
          }
          writeFileSync(join(dir, 'bundle.json'), JSON.stringify(m));
          if (damage) {
            const p = join(dir, damage.file);
            const b = readFileSync(p);
            const at = Math.floor(damage.at * b.length);
            writeFileSync(p, damage.op === 'truncate' ? b.subarray(0, at) : damage.op === 'empty' ? '' : damage.op === 'deep' ? '['.repeat(100_000) : b.map((x, i) => (i === at ? x ^ 0x3c : x)));
          }
          const argv = command === 'summary' ? ['summary', '--bundle', dir] : ['change', '--bundle', dir];
          const r = await runChecked('bundles', argv);
          expect(r.stdout + r.stderr).not.toContain('SECRET-MARKER');
          expect(r.stdout + r.stderr).not.toMatch(/root:x:0:0/);
          if (r.code === 0) accounting(r.stderr);
        },
      ),
      run(50),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Options

describe('fuzz: options', () => {
  const income = files.file('o_2018.csv', [UDP_HEADER, ...Array.from({ length: 5 }, (_, i) => udpRow(tractId(i), UPPERS.map((_, j) => (i * j) % 7 + 1)))].map((r) => r.join(',')).join('\n'));
  const mapping = files.file('o.json', JSON.stringify({ id: 'GEOID', total: 'hh_18', brackets: UDP_HEADER.slice(2), year: 2018 }));
  const value = fc.constantFrom('-5', '-1', '0', '1e308', 'NaN', '', ' ', '--', 'auto', 'tract-median', '70400', '$70,400', '2018', '2000', '1.5', '9'.repeat(400), 'ami:0.5,0.8', 'ami:0.8,0.5', `ami:${Array.from({ length: 5000 }, (_, i) => i / 100).join(',')}`, 'dollars:20000,50000', 'quintile5', 'custom', 'ami6', 'tract', 'udp', 'x', '<b>x</b>', '\u0000');
  const paths = () => fc.constantFrom(income, mapping, files.dir, '/dev/null', '/dev/zero', '/nonexistent/file.csv', join(files.dir, 'missing-folder', 'x.csv'), '/dev/full', '2018=' + income, '2000=' + income);
  const option = fc.oneof(
    fc.tuple(fc.constantFrom('--ami', '--min-households', '--scheme', '--cuts', '--year', '--aggregate', '--name', '--source', '--from', '--to', '--definition', '--min-growth', '--max-low-income-drop', '--region-growth'), value).map(([k, v]) => (v.startsWith('-') ? [`${k}=${v}`] : [k, v])),
    fc.tuple(fc.constantFrom('--income', '--boundaries', '--columns', '--out', '--bundle', '--crosswalk', '--external'), paths()).map(([k, v]) => [k, v]),
    fc.constantFrom(['--uncertainty'], ['--lenient'], ['--help'], ['--bogus'], ['-x'], ['--ami'], ['positional']),
  );
  it('any command line: a message or a result, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('analyze', 'summary', 'build', 'change', 'bogus', ''), fc.array(option, { maxLength: 6 }), fc.boolean(), async (command, options, withIncome) => {
        const argv = [...(command ? [command] : []), ...(withIncome ? ['--income', income] : []), ...options.flat()];
        await runChecked('options', argv);
      }),
      run(80),
    );
  });
  it.each([
    [['analyze', '--income', income, '--ami=-5'], /--ami "-5" is not auto/],
    [['analyze', '--income', income, '--min-households=-1'], /--min-households "-1" is not a whole number/],
    [['analyze', '--income', income, '--out', '/nonexistent-folder/x.csv'], /the folder it would go in does not exist/],
    [['analyze', '--income', income, '--out', '/tmp'], /this is a folder/],
    [['analyze', '--income', income, '--out', '/dev/full'], /the disk is full/],
    [['analyze', '--income', income, '--columns', mapping, '--scheme', 'custom', '--cuts', 'ami:0.8,0.5'], /cut points must be in increasing order/],
  ])('%j', async (argv, message) => {
    const r = await runChecked('options', argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

it('the suite runs at least 400 CLI cases', () => {
  expect(tallyTotal()).toBeGreaterThanOrEqual(400);
});
