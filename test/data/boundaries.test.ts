import { area, bbox, booleanClockwise } from '@turf/turf';
import { strToU8, zipSync } from 'fflate';
import type * as GeoJSON from 'geojson';
import proj4 from 'proj4';
import { read as readShapefile } from 'shapefile';
import { topology } from 'topojson-server';
import { describe, expect, it } from 'vitest';
import { readBoundaries, type BoundaryFile, type BoundarySet } from '../../src/data/boundaries.ts';
import { InputError } from '../../src/data/errors.ts';
import { describeRealData as describeShared, readRealData as readShared } from '../helpers/realData';
import { shapefileBytes, type TestRecord } from '../helpers/shapefile';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A clockwise (shapefile outer ring) square with corner (x, y) and side `size`. */
function square(x: number, y: number, size: number): [number, number][] {
  return [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]];
}

function shapefileFiles(
  stem: string,
  records: readonly TestRecord[],
  extra: Record<string, string> = {},
  encode = utf8,
): BoundaryFile[] {
  const { shp, dbf } = shapefileBytes(records, encode);
  return [
    { name: `${stem}.shp`, bytes: shp },
    { name: `${stem}.dbf`, bytes: dbf },
    ...Object.entries(extra).map(([ext, text]) => ({ name: `${stem}.${ext}`, bytes: strToU8(text) })),
  ];
}

function geojsonFile(name: string, value: unknown): BoundaryFile {
  return { name, bytes: strToU8(JSON.stringify(value)) };
}

const CHICAGO_SQUARE: GeoJSON.Polygon = { type: 'Polygon', coordinates: [square(-87.7, 41.8, 0.01).reverse()] };

function polygonFeature(properties: Record<string, unknown>, geometry: GeoJSON.Geometry = CHICAGO_SQUARE) {
  return { type: 'Feature', properties, geometry };
}

function featureCollection(...features: unknown[]) {
  return { type: 'FeatureCollection', features };
}

async function inputError(files: readonly BoundaryFile[], options?: { idProperty?: string }): Promise<string> {
  const error = await readBoundaries(files, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).message;
}

/** ESRI WKT as ArcGIS writes it for NAD83 / UTM zone 13N (EPSG:26913), which covers Denver. */
const UTM_13N_PRJ =
  'PROJCS["NAD_1983_UTM_Zone_13N",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",' +
  'SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],' +
  'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],' +
  'PARAMETER["Central_Meridian",-105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],' +
  'UNIT["Meter",1.0]]';

const DENVER_UTM_TRACTS: TestRecord[] = [
  { rings: [square(500_000, 4_400_000, 1000)], fields: { GEOID: '08031000101' } },
  { rings: [square(501_000, 4_400_000, 1000)], fields: { GEOID: '08031000102' } },
];

/** Fremont County, Colorado: a name outside ASCII, to check .dbf text encodings. */
const CANON_CITY: TestRecord[] = [
  { rings: [square(-105.3, 38.4, 0.01)], fields: { GEOID: '08043978100', NAME: 'Cañon City' } },
];

// ---------------------------------------------------------------------------------------------

describeShared('readBoundaries on Census files from ../shared', () => {
  const census = (dir: string, stem: string, exts: readonly string[]): BoundaryFile[] =>
    exts.map((ext) => ({ name: `${stem}.${ext}`, bytes: readShared(`${dir}/${stem}.${ext}`) }));

  it('reads the Illinois 2018 cartographic tract file whole: 3121 tracts, none rejected', async () => {
    const files = census('udp-chicago', 'cb_2018_17_tract_500k', ['shp', 'dbf', 'prj', 'cpg', 'shx']);
    const set = await readBoundaries(files);
    expect(set.file).toBe('cb_2018_17_tract_500k.shp');
    expect(set.format).toBe('shapefile');
    expect(set.features).toHaveLength(3121);
    expect(set.rejected).toEqual([]);
    expect(set.repairedIds).toEqual([]);
    expect(set.idProperty).toBe('GEOID');
    expect(set.unitKind).toBe('tract');
    expect(set.crs).toContain('NAD83');
    expect(set.features.every((f) => /^\d{11}$/.test(f.properties.GEOID))).toBe(true);
    expect(new Set(set.features.map((f) => f.properties.GEOID)).size).toBe(3121);

    // Census tract 101, Cook County: Rogers Park, the north-east corner of Chicago.
    const rogersPark = set.features.find((f) => f.properties.GEOID === '17031010100');
    expect(rogersPark?.properties.name).toBe('101');
    const [west, south, east, north] = bbox(rogersPark!);
    expect((west + east) / 2).toBeCloseTo(-87.67, 1);
    expect((south + north) / 2).toBeCloseTo(42.02, 1);
    expect(east - west).toBeLessThan(0.05);
  });

  it('reads the 2014 TIGER/Line DC block groups (no .cpg): 450 block groups with 12-digit GEOIDs', async () => {
    const files = census('dc-blockgroups-acs2014', 'tl_2014_11_bg', ['shp', 'dbf', 'prj', 'shx']);
    const set = await readBoundaries(files);
    expect(set.features).toHaveLength(450);
    expect(set.rejected).toEqual([]);
    expect(set.unitKind).toBe('block group');
    expect(set.features.every((f) => /^11001\d{7}$/.test(f.properties.GEOID))).toBe(true);
    expect(set.features[0].properties.name).toMatch(/^Block Group \d$/);
    expect(set.crs).toBe('NAD83 geographic (EPSG:4269)');

    // Known answer: TIGER/Line geometry is not generalised, so each polygon's area matches the
    // ALAND + AWATER the Census Bureau publishes (m², computed on the ellipsoid) up to turf's
    // spherical-earth approximation, about 0.08% at DC's latitude.
    const published = await readShapefile(files[0].bytes, files[1].bytes);
    const censusArea = new Map(
      published.features.map(({ properties: p }) => [p!.GEOID, p!.ALAND + p!.AWATER]),
    );
    const off = set.features.filter((f) => Math.abs(area(f) / censusArea.get(f.properties.GEOID) - 1) > 0.002);
    expect(off.map((f) => f.properties.GEOID)).toEqual([]);
  });

  it('gives the same Denver tracts from a shapefile, a zip, GeoJSON and TopoJSON', async () => {
    const parts = census('udp-denver', 'cb_2018_08_tract_500k', ['shp', 'dbf', 'prj', 'cpg', 'shx']);
    const fromShapefile = await readBoundaries(parts);
    const collection = { type: 'FeatureCollection', features: fromShapefile.features };
    const zip = zipSync({
      ...Object.fromEntries(parts.map((p) => [`cb_2018_08_tract_500k/${p.name}`, p.bytes])),
      '__MACOSX/cb_2018_08_tract_500k/._cb_2018_08_tract_500k.shp': strToU8('Finder metadata'),
    });
    const others = await Promise.all([
      readBoundaries([{ name: 'cb_2018_08_tract_500k.zip', bytes: zip }]),
      readBoundaries([geojsonFile('denver.geojson', collection)]),
      readBoundaries([geojsonFile('denver.topojson', topology({ tracts: collection as GeoJSON.FeatureCollection }))]),
    ]);
    expect(others.map((s) => s.format)).toEqual(['shapefile', 'geojson', 'topojson']);
    expect(others[0].file).toBe('cb_2018_08_tract_500k.zip/cb_2018_08_tract_500k/cb_2018_08_tract_500k.shp');

    const areas = (set: BoundarySet) => new Map(set.features.map((f) => [f.properties.GEOID, area(f)]));
    const expected = areas(fromShapefile);
    expect(expected.size).toBe(1249);
    for (const set of others) {
      expect(set.rejected).toEqual([]);
      const got = areas(set);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [geoid, m2] of expected) expect(Math.abs(got.get(geoid)! / m2 - 1)).toBeLessThan(1e-6);
    }
  });

  it('winds outer rings counterclockwise as RFC 7946 asks (shapefiles store them clockwise)', async () => {
    const set = await readBoundaries(census('udp-denver', 'cb_2018_08_tract_500k', ['shp', 'dbf', 'prj', 'cpg']));
    const outerRings = set.features.flatMap(({ geometry: g }) =>
      g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((polygon) => polygon[0]),
    );
    expect(outerRings.filter((ring) => booleanClockwise(ring))).toEqual([]);
  });
});

describe('readBoundaries: projections', () => {
  it('reprojects a UTM zone 13N shapefile to longitude/latitude', async () => {
    const set = await readBoundaries(shapefileFiles('denver_utm', DENVER_UTM_TRACTS, { prj: UTM_13N_PRJ }));
    expect(set.crs).toBe('reprojected from NAD_1983_UTM_Zone_13N to WGS84 longitude/latitude');
    // Independent definition of EPSG:26913 as a proj string, not the WKT the reader parsed.
    const utm13n = proj4('+proj=utm +zone=13 +datum=NAD83 +units=m +no_defs', 'WGS84');
    set.features.forEach((feature, i) => {
      const source = DENVER_UTM_TRACTS[i].rings![0];
      const ring = (feature.geometry as GeoJSON.Polygon).coordinates[0];
      // Rewound counterclockwise, so compare as sets of corners.
      const expected = source.map((p) => utm13n.forward(p)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const got = [...ring].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      got.forEach((p, k) => {
        expect(Math.abs(p[0] - expected[k][0])).toBeLessThan(1e-6);
        expect(Math.abs(p[1] - expected[k][1])).toBeLessThan(1e-6);
      });
    });
    // Easting 500 000 m is the zone's central meridian, 105° W.
    const westEdge = (set.features[0].geometry as GeoJSON.Polygon).coordinates[0].map((p) => p[0]);
    expect(Math.min(...westEdge)).toBeCloseTo(-105, 9);
  });

  it('names the CRS and says what to do when proj4 cannot read the .prj', async () => {
    const bogus = UTM_13N_PRJ.replace('NAD_1983_UTM_Zone_13N', 'County_Local_Grid')
      .replace('Transverse_Mercator', 'Local_Survey_Projection');
    const message = await inputError(shapefileFiles('tracts', DENVER_UTM_TRACTS, { prj: bogus }));
    expect(message).toMatch(/^tracts\.prj: /);
    expect(message).toContain('"County_Local_Grid"');
    expect(message).toContain('EPSG:4269 or EPSG:4326');
    expect(message).toContain('ogr2ogr -t_srs EPSG:4326');
    expect(message).toContain('supply a .prj that proj4 understands');
  });

  it('refuses projected coordinates that come without a .prj', async () => {
    const message = await inputError(shapefileFiles('tracts', DENVER_UTM_TRACTS));
    expect(message).toMatch(/^tracts\.shp, feature 1: coordinates look projected but there is no \.prj/);
    expect(message).toContain('(500000, 4400000)');
    expect(message).toContain('Add the .prj that came with the shapefile');
  });

  it('refuses projected coordinates in GeoJSON, which is longitude/latitude by definition', async () => {
    const metres: GeoJSON.Polygon = { type: 'Polygon', coordinates: [square(500_000, 4_400_000, 1000).reverse()] };
    const features = featureCollection(polygonFeature({ GEOID: '08031000101' }, metres));
    const message = await inputError([geojsonFile('tracts.geojson', features)]);
    expect(message).toMatch(/^tracts\.geojson, feature 1: coordinates look projected, but GeoJSON is longitude\/latitude/);
    expect(message).toContain('-t_srs EPSG:4326');
  });
});

describe('readBoundaries: ids', () => {
  it('repairs ids that lost a leading zero or carry the 1400000US prefix, and reports them', async () => {
    const features = [
      polygonFeature({ GEOID: 8031000101, NAMELSAD: 'Census Tract 1.01' }),
      polygonFeature({ GEOID: '1400000US08031000102' }),
      polygonFeature({ GEOID: '08031000201' }),
    ];
    const set = await readBoundaries([geojsonFile('tracts.geojson', featureCollection(...features))]);
    expect(set.features.map((f) => f.properties)).toEqual([
      { GEOID: '08031000101', name: 'Census Tract 1.01' },
      { GEOID: '08031000102' },
      { GEOID: '08031000201' },
    ]);
    expect(set.repairedIds).toEqual([
      { feature: 1, before: '8031000101', after: '08031000101' },
      { feature: 2, before: '1400000US08031000102', after: '08031000102' },
    ]);
  });

  it('takes GEOID10 when there is no GEOID, and a named property when told', async () => {
    const features = [polygonFeature({ GEOID10: '08031000101', TRACT_KEY: '08031000999' })];
    const file = geojsonFile('tracts.geojson', featureCollection(...features));
    expect((await readBoundaries([file])).idProperty).toBe('GEOID10');
    const named = await readBoundaries([file], { idProperty: 'TRACT_KEY' });
    expect(named.features[0].properties.GEOID).toBe('08031000999');
    const message = await inputError([file], { idProperty: 'TRACTCE' });
    expect(message).toContain(
      'tracts.geojson, column "TRACTCE": the id property "TRACTCE" is not in the file (its features have GEOID10, TRACT_KEY)',
    );
  });

  it('lists the properties it found when no feature has an id property', async () => {
    const features = [polygonFeature({ NAME: 'Tract 1', TRACTCE: '000101' })];
    const message = await inputError([geojsonFile('tracts.geojson', featureCollection(...features))]);
    expect(message).toMatch(/^tracts\.geojson: no feature has a GEOID property/);
    expect(message).toContain('the features have NAME, TRACTCE');
    expect(message).toContain(`--columns '{"boundaryId": "NAME"}'`);
  });

  it('refuses duplicate GEOIDs, naming both features', async () => {
    const features = ['08031000101', '08031000102', '8031000101'].map((GEOID) => polygonFeature({ GEOID }));
    const message = await inputError([geojsonFile('tracts.geojson', featureCollection(...features))]);
    expect(message).toMatch(
      /^tracts\.geojson, feature 3, column "GEOID": tract 08031000101 appears in feature 1 and again in feature 3/,
    );
    expect(message).toContain('-dissolve GEOID');
  });

  it('rejects a rounded scientific-notation id with the reason, keeping the rest', async () => {
    const features = [polygonFeature({ GEOID: '1.7031E+10' }), polygonFeature({ GEOID: '17031010100' })];
    const set = await readBoundaries([geojsonFile('tracts.geojson', featureCollection(...features))]);
    expect(set.features.map((f) => f.properties.GEOID)).toEqual(['17031010100']);
    expect(set.rejected).toEqual([
      {
        row: 1,
        geoid: '1.7031E+10',
        column: 'GEOID',
        reason: expect.stringContaining('rounded number in scientific notation'),
      },
    ]);
  });
});

describe('readBoundaries: geometry and encodings', () => {
  it('rejects a null shape with its GEOID instead of dropping it', async () => {
    const records: TestRecord[] = [
      { rings: [square(-87.7, 41.8, 0.01)], fields: { GEOID: '17031010100' } },
      { rings: null, fields: { GEOID: '17031010201' } },
      { rings: [square(-87.6, 41.8, 0.01)], fields: { GEOID: '17031010202' } },
    ];
    const set = await readBoundaries(shapefileFiles('tracts', records));
    expect(set.features.map((f) => f.properties.GEOID)).toEqual(['17031010100', '17031010202']);
    expect(set.rejected).toEqual([
      { row: 2, geoid: '17031010201', reason: 'the feature has no geometry (a null shape)' },
    ]);
    expect(set.crs).toContain('no .prj');
  });

  it('rejects GeoJSON features that are not polygons or not features', async () => {
    const features = [
      polygonFeature({ GEOID: '17031010100' }, { type: 'Point', coordinates: [-87.67, 42.02] }),
      { type: 'Polygon', coordinates: [] },
      polygonFeature({ GEOID: '17031010202' }),
    ];
    const set = await readBoundaries([geojsonFile('tracts.json', featureCollection(...features))]);
    expect(set.features).toHaveLength(1);
    expect(set.rejected.map((r) => [r.row, r.reason])).toEqual([
      [1, 'the geometry is a Point, not a Polygon or MultiPolygon'],
      [2, 'the entry is not a GeoJSON Feature'],
    ]);
  });

  it.each([
    ['ISO 8859-1', latin1],
    ['88591', latin1],
    ['ANSI 1252', latin1],
    ['UTF-8', utf8],
    ['65001', utf8],
  ])('decodes names in the code page the .cpg names (%s)', async (cpg, encode) => {
    const set = await readBoundaries(shapefileFiles('fremont', CANON_CITY, { cpg }, encode));
    expect(set.features[0].properties.name).toBe('Cañon City');
  });

  it('follows the .cpg even when the bytes would read as UTF-8', async () => {
    const set = await readBoundaries(shapefileFiles('fremont', CANON_CITY, { cpg: 'ISO 8859-1' }, utf8));
    expect(set.features[0].properties.name).toBe('CaÃ±on City');
  });

  it.each([
    ['UTF-8', utf8],
    ['Windows-1252', latin1],
  ])('tells %s from the bytes when there is no .cpg', async (_, encode) => {
    const set = await readBoundaries(shapefileFiles('fremont', CANON_CITY, {}, encode));
    expect(set.features[0].properties.name).toBe('Cañon City');
  });

  it('refuses a .cpg naming an unknown encoding', async () => {
    const message = await inputError(shapefileFiles('fremont', CANON_CITY, { cpg: 'EBCDIC-37' }));
    expect(message).toMatch(/^fremont\.cpg: names the encoding "EBCDIC-37"/);
    expect(message).toContain('ENCODING=UTF-8');
  });
});

describe('readBoundaries: files that cannot be used', () => {
  const oneTract: TestRecord[] = [{ rings: [square(-87.7, 41.8, 0.01)], fields: { GEOID: '17031010100' } }];

  it('asks for the .dbf when only the .shp is given', async () => {
    const [shp] = shapefileFiles('tracts', oneTract);
    const message = await inputError([shp]);
    expect(message).toBe(
      'tracts.shp: the .dbf that holds the feature ids is missing; expected tracts.dbf next to the .shp. ' +
        'Give the .shp together with its .dbf, .prj and .cpg, or a .zip of the whole shapefile.',
    );
  });

  it('refuses an empty .shp', async () => {
    const [, dbf] = shapefileFiles('tracts', oneTract);
    const message = await inputError([{ name: 'tracts.shp', bytes: new Uint8Array(0) }, dbf]);
    expect(message).toMatch(/^tracts\.shp: is empty \(0 bytes\)/);
    expect(message).toContain('Download or copy the file again');
  });

  it('refuses a .shp of points', async () => {
    const [shp, dbf] = shapefileFiles('centroids', oneTract);
    new DataView(shp.bytes.buffer).setInt32(32, 1, true);
    const message = await inputError([shp, dbf]);
    expect(message).toMatch(/^centroids\.shp: holds Point shapes, not polygons/);
  });

  it('refuses a .dbf whose record count does not match the shapes', async () => {
    const [shp] = shapefileFiles('tracts', oneTract);
    const [, dbf] = shapefileFiles('tracts', [...oneTract, ...oneTract]);
    const message = await inputError([shp, dbf]);
    expect(message).toMatch(/^tracts\.dbf: has 2 records but tracts\.shp has 1 shapes/);
    expect(message).toContain('same download');
  });

  it('says what a zip should hold when it holds no boundary layer', async () => {
    const zip = zipSync({ 'readme.txt': strToU8('tract boundaries'), 'income.csv': strToU8('GEOID,households\n') });
    const message = await inputError([{ name: 'tracts.zip', bytes: zip }]);
    expect(message).toMatch(
      /^tracts\.zip: holds no boundary layer \(found tracts\.zip\/readme\.txt, tracts\.zip\/income\.csv\)/,
    );
    expect(message).toContain('expected a shapefile (.shp with its .dbf');
  });

  it('lists the layers when a zip holds several shapefiles', async () => {
    const files = [...shapefileFiles('tracts', oneTract), ...shapefileFiles('counties', oneTract)];
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])));
    const message = await inputError([{ name: 'il.zip', bytes: zip }]);
    expect(message).toMatch(/^il\.zip: holds several boundary layers: il\.zip\/tracts\.shp, il\.zip\/counties\.shp/);
    expect(message).toContain('Give only the tract (or block-group) layer.');
  });

  it('refuses GeoJSON that is not a FeatureCollection', async () => {
    const message = await inputError([geojsonFile('tract.geojson', polygonFeature({ GEOID: '17031010100' }))]);
    expect(message).toMatch(/^tract\.geojson: holds a GeoJSON Feature, not a FeatureCollection/);
    expect(message).toContain('ogr2ogr -f GeoJSON');
  });

  it('refuses a file of unknown type and an empty list', async () => {
    const kml = await inputError([{ name: 'tracts.kml', bytes: strToU8('<kml/>') }]);
    expect(kml).toMatch(/^tracts\.kml: holds no boundary layer \(found tracts\.kml\); expected a shapefile/);
    expect(await inputError([])).toMatch(/^\(no boundary file\): no boundary file was given/);
  });
});

// ---------------------------------------------------------------------------------------------
// Geometry is checked, not trusted (issue 9).

const WEB_MERCATOR_PRJ =
  'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],' +
  'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';

describe('readBoundaries: geometry checks', () => {
  it('a Web-Mercator .prj on longitude/latitude coordinates is refused, naming the .prj (not drawn at 0, 0)', async () => {
    const message = await inputError(shapefileFiles('tracts', CANON_CITY, { prj: WEB_MERCATOR_PRJ }));
    expect(message).toMatch(/^tracts\.prj: it says the coordinates are projected \(WGS_1984_Web_Mercator_Auxiliary_Sphere\), but those of tracts\.shp are longitude\/latitude \(from -105\.300, 38\.400 to -105\.290, 38\.410\)/);
    expect(message).toContain('every tract would land near (0, 0)');
  });
  it('the same .prj on real Web-Mercator metres is reprojected to Cañon City', async () => {
    const [x, y] = proj4('EPSG:4326', 'EPSG:3857', [-105.3, 38.4]);
    const set = await readBoundaries(shapefileFiles('tracts', [{ rings: [square(x, y, 1000)], fields: { GEOID: '08043978100' } }], { prj: WEB_MERCATOR_PRJ }));
    const [w, s] = bbox(set.features[0]);
    expect(w).toBeCloseTo(-105.3, 6);
    expect(s).toBeCloseTo(38.4, 6);
    expect(set.warnings).toEqual([]);
  });
  it('an unclosed ring is closed and the repair reported', async () => {
    const open = { type: 'Polygon', coordinates: [square(-87.7, 41.8, 0.01).reverse().slice(0, 4)] };
    const set = await readBoundaries([geojsonFile('t.geojson', featureCollection(polygonFeature({ GEOID: '17031010100' }, open as GeoJSON.Polygon)))]);
    expect(set.features[0].geometry.coordinates[0]).toHaveLength(5);
    expect(set.warnings).toEqual(['1 features had rings that were not closed; they were closed by repeating their first point (features 1)']);
  });
  it('a bow-tie is rejected with where it crosses; the other features are kept', async () => {
    const bowTie = { type: 'Polygon', coordinates: [[[-87.7, 41.8], [-87.69, 41.81], [-87.69, 41.8], [-87.7, 41.81], [-87.7, 41.8]]] };
    const set = await readBoundaries([geojsonFile('t.geojson', featureCollection(polygonFeature({ GEOID: '17031010100' }), polygonFeature({ GEOID: '17031010200' }, bowTie as GeoJSON.Polygon)))]);
    expect(set.features.map((f) => f.properties.GEOID)).toEqual(['17031010100']);
    expect(set.rejected).toEqual([{ row: 2, geoid: '17031010200', reason: 'the outer ring crosses itself near (-87.69500, 41.80500) (a "bow-tie"); the feature is left out rather than guessed at' }]);
  });
  it('a hole outside its outer ring is rejected', async () => {
    const shell = square(-87.7, 41.8, 0.01).reverse();
    const hole = square(-87.6, 41.8, 0.001);
    const set = await readBoundaries([geojsonFile('t.geojson', featureCollection(polygonFeature({ GEOID: '17031010100' }), polygonFeature({ GEOID: '17031010200' }, { type: 'Polygon', coordinates: [shell, hole] })))]);
    expect(set.rejected).toEqual([{ row: 2, geoid: '17031010200', reason: 'hole 1 lies outside its outer ring; the feature is left out rather than guessed at' }]);
  });
  it('a hole inside its ring and a ring that only touches itself are kept', async () => {
    const shell = square(-87.7, 41.8, 0.01).reverse();
    const hole = square(-87.696, 41.804, 0.002);
    // A figure-eight pinched at one shared vertex (-87.69, 41.81): touching, not crossing.
    const pinched = [[-87.7, 41.8], [-87.69, 41.81], [-87.68, 41.8], [-87.68, 41.82], [-87.69, 41.81], [-87.7, 41.82], [-87.7, 41.8]];
    const set = await readBoundaries([geojsonFile('t.geojson', featureCollection(
      polygonFeature({ GEOID: '17031010100' }, { type: 'Polygon', coordinates: [shell, hole] }),
      polygonFeature({ GEOID: '17031010200' }, { type: 'Polygon', coordinates: [pinched] } as GeoJSON.Polygon),
    ))]);
    expect(set.rejected).toEqual([]);
  });
  it('a region that lands outside the United States (near Null Island) is named in a warning', async () => {
    const nullIsland = { type: 'Polygon', coordinates: [square(0.001, 0.001, 0.0001).reverse()] };
    const set = await readBoundaries([geojsonFile('t.geojson', featureCollection(polygonFeature({ GEOID: '17031010100' }, nullIsland as GeoJSON.Polygon)))]);
    expect(set.warnings).toEqual([
      '1 of 1 features lie outside the United States and its territories (feature 1 at 0.001, 0.001): check the coordinate system (WGS84 longitude/latitude (GeoJSON, RFC 7946 §4)) and that this is the right file',
    ]);
  });
});

describe('readBoundaries: resource limits', () => {
  it('a zip whose entries expand beyond the limit is refused before anything is inflated', async () => {
    const zip = zipSync({ 'tracts.geojson': strToU8(JSON.stringify(featureCollection(polygonFeature({ GEOID: '17031010100' })))) });
    // Declare 1 GiB uncompressed in the central directory (signature PK\1\2, size at offset 24).
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let patched = false;
    for (let i = 0; i + 46 <= zip.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 2 ** 30, true);
        patched = true;
      }
    }
    expect(patched).toBe(true);
    const message = await inputError([{ name: 'bomb.zip', bytes: zip }]);
    expect(message).toMatch(/^bomb\.zip: it expands to more than 512 MB; expected a boundary archive of at most 512 MB unzipped/);
  });
});
