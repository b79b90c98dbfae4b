/**
 * Tract and block-group boundaries from the files planners actually have: a Census shapefile
 * (loose parts or a .zip), a GeoJSON FeatureCollection or a TopoJSON topology. Works on bytes,
 * not paths, so the page and the CLI share it. Every feature ends up either in `features` or in
 * `rejected` with its reason; a file that cannot be used as a whole throws an InputError that
 * names it and says what to do (STYLE.md §6).
 */
import { rewind } from '@turf/turf';
import { unzipSync } from 'fflate';
import type * as GeoJSON from 'geojson';
import proj4 from 'proj4';
import { read as readShapefile } from 'shapefile';
import { feature as topojsonFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { InputError, type RejectedRow } from './errors.ts';
import { mixedUnitsNote, normalizeGeoidAs, unitOfIds } from './geoid.ts';
import { boundsOf, checkPolygonRings, inUnitedStates } from './geometryChecks.ts';
import { MAX_BOUNDARY_VERTICES, MAX_UNZIPPED_BYTES } from './limits.ts';

/** One input file: a dropped File or a file read by the CLI. */
export interface BoundaryFile {
  /** Display name; for a .zip entry, `archive.zip/folder/entry.shp`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface BoundaryFeatureProps {
  /** Normalised GEOID: 11 digits for a tract, 12 for a block group. */
  GEOID: string;
  /** NAMELSAD or NAME from the file, e.g. "Census Tract 101" or "8438". */
  name?: string;
}

export type BoundaryFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, BoundaryFeatureProps>;

export interface BoundarySet {
  /** Display name of the input, e.g. 'cb_2018_17_tract_500k.shp'. */
  readonly file: string;
  readonly format: 'shapefile' | 'geojson' | 'topojson';
  /** Longitude/latitude polygons, outer rings counterclockwise (RFC 7946 §3.1.6). */
  readonly features: BoundaryFeature[];
  /** Which property held the id (GEOID, GEOID10, AFFGEOID, ...). */
  readonly idProperty: string;
  /** Where the coordinates came from, in words, e.g. 'NAD83 geographic (EPSG:4269)'. */
  readonly crs: string;
  /** Ids that were mangled in a way that could be undone (lost leading zero, `1400000US` prefix). */
  readonly repairedIds: { feature: number; before: string; after: string }[];
  /** Features that cannot be used; `row` is the 1-based feature number. */
  readonly rejected: RejectedRow[];
  readonly unitKind: 'tract' | 'block group';
  /** What the reader noticed and the user should know (mixed units, repaired geometry, odd location). */
  readonly warnings?: readonly string[];
}

/**
 * Id properties in the order they are tried: Census files (GEOID, and the decennial GEOID20 /
 * GEOID10), the prefixed forms (GEOIDFQ since 2023, AFFGEOID in cartographic boundary files,
 * GEO_ID in 2010 ones), then names other tools write (ArcGIS joins' GEOID_, FIPS, and the
 * Longitudinal Tract Database's tractid / trtid10).
 */
export const BOUNDARY_ID_CANDIDATES = [
  'GEOID', 'GEOID20', 'GEOID10', 'GEOIDFQ', 'AFFGEOID', 'GEO_ID',
  'geoid', 'GEOID_', 'FIPS', 'fips', 'tractid', 'TRACTID', 'trtid10',
] as const;

const EXPECTED_INPUT =
  'a shapefile (.shp with its .dbf, .prj and .cpg, loose or in a .zip), ' +
  'a GeoJSON FeatureCollection (.geojson, .json) or a TopoJSON file';

const REPROJECT_COMMAND = '`ogr2ogr -t_srs EPSG:4326 out.shp in.shp`';

/**
 * Shape types from the ESRI Shapefile Technical Description (July 1998), p. 4; polygons
 * (with or without Z and M) are the only ones that can be boundaries.
 */
const SHAPE_TYPES: Record<number, string> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ',
  18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
};
const POLYGON_SHAPE_TYPES = new Set([5, 15, 25]);
/** The .shp header is 100 bytes and starts with the file code 9994, big-endian (ESRI 1998, p. 3). */
const SHP_HEADER_BYTES = 100;
const SHP_FILE_CODE = 9994;
/** dBase III header: 32 bytes; record count at byte 4, header length at byte 8 (both little-endian). */
const DBF_HEADER_BYTES = 32;

type RawFeature = GeoJSON.Feature<GeoJSON.Geometry | null, GeoJSON.GeoJsonProperties>;
type Position = GeoJSON.Position;

/** How a layer's coordinates become longitude/latitude, and what to say when they do not. */
interface CrsPlan {
  readonly description: string;
  readonly toLonLat?: (p: Position) => Position;
  /** The file to blame when coordinates are not longitude/latitude (a .prj, or the data file). */
  readonly blame: string;
  readonly notLonLat: string;
  readonly action: string;
}

interface DecodedLayer {
  readonly file: string;
  readonly format: BoundarySet['format'];
  /** Features as read; `null` for an entry that is not a GeoJSON Feature at all. */
  readonly features: (RawFeature | null)[];
  readonly crs: CrsPlan;
}

/**
 * Read one boundary layer: detect the format, find the id property, normalise the GEOIDs,
 * bring coordinates to longitude/latitude and check them.
 *
 * @example
 * const set = await readBoundaries([
 *   { name: 'cb_2018_17_tract_500k.shp', bytes: shp },
 *   { name: 'cb_2018_17_tract_500k.dbf', bytes: dbf },
 *   { name: 'cb_2018_17_tract_500k.prj', bytes: prj },
 * ]);
 * set.features.length; // 3121
 */
export async function readBoundaries(
  files: readonly BoundaryFile[],
  options: { idProperty?: string } = {},
): Promise<BoundarySet> {
  const layer = await decodeLayer(files);
  return buildBoundarySet(layer, options.idProperty);
}

async function decodeLayer(files: readonly BoundaryFile[]): Promise<DecodedLayer> {
  if (files.length === 0) {
    throw new InputError({
      file: '(no boundary file)',
      problem: 'no boundary file was given',
      expected: EXPECTED_INPUT,
      action: 'Give the tract boundaries, e.g. the Census cartographic boundary file cb_2018_17_tract_500k.zip.',
    });
  }
  const inputName = files.map((f) => f.name).join(', ');
  const unpacked = files.flatMap((f) => (extension(f.name) === 'zip' ? unzipEntries(f) : [f]));
  const layers = unpacked.filter((f) => ['shp', 'geojson', 'json', 'topojson'].includes(extension(f.name)));
  if (layers.length === 0) {
    const found = unpacked.map((f) => f.name).join(', ');
    const dbfOnly = unpacked.some((f) => extension(f.name) === 'dbf');
    throw new InputError({
      file: inputName,
      problem: `holds no boundary layer (found ${found})`,
      expected: EXPECTED_INPUT,
      action: dbfOnly
        ? 'A .dbf holds only the attributes: give the .shp with it.'
        : 'Give the tract boundaries, e.g. the Census cartographic boundary file cb_2018_17_tract_500k.zip.',
    });
  }
  if (layers.length > 1) {
    throw new InputError({
      file: inputName,
      problem: `holds several boundary layers: ${layers.map((f) => f.name).join(', ')}`,
      expected: 'one layer of tract or block-group boundaries',
      action: 'Give only the tract (or block-group) layer.',
    });
  }
  const layer = layers[0];
  assertNotEmpty(layer);
  return extension(layer.name) === 'shp' ? decodeShapefile(layer, unpacked) : decodeJson(layer);
}

class ZipTooLarge extends Error {
  constructor(readonly bytes: number) {
    super('zip too large');
  }
}

function unzipEntries(zip: BoundaryFile): BoundaryFile[] {
  assertNotEmpty(zip);
  let entries: Record<string, Uint8Array>;
  try {
    // macOS Finder adds __MACOSX/ resource forks and ._ files next to every entry.
    // Sizes are checked from the archive's directory before anything is inflated (a zip bomb).
    let declared = 0;
    entries = unzipSync(zip.bytes, {
      filter: (e) => {
        if (/(^|\/)(__MACOSX\/|\._)/.test(e.name)) return false;
        declared += e.originalSize;
        if (declared > MAX_UNZIPPED_BYTES) throw new ZipTooLarge(declared);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ZipTooLarge) {
      throw new InputError({
        file: zip.name,
        problem: `it expands to more than ${MAX_UNZIPPED_BYTES / 2 ** 20} MB`,
        expected: `a boundary archive of at most ${MAX_UNZIPPED_BYTES / 2 ** 20} MB unzipped (a national cartographic tract file is about 60 MB)`,
        action: 'Unzip it yourself and give the .shp of your region, or cut the layer to your region.',
      });
    }
    throw new InputError({
      file: zip.name,
      problem: `is not a readable zip archive (${describeError(e)})`,
      action: 'Download it again, or zip the .shp, .dbf, .prj and .cpg again.',
    });
  }
  return Object.entries(entries)
    .filter(([path]) => !path.endsWith('/'))
    .map(([path, bytes]) => ({ name: `${zip.name}/${path}`, bytes }));
}

async function decodeShapefile(shp: BoundaryFile, files: readonly BoundaryFile[]): Promise<DecodedLayer> {
  const companion = (ext: string) =>
    files.find((f) => extension(f.name) === ext && stem(f.name).toLowerCase() === stem(shp.name).toLowerCase());
  const dbf = companion('dbf');
  if (!dbf) {
    throw new InputError({
      file: shp.name,
      problem: 'the .dbf that holds the feature ids is missing',
      expected: `${baseName(stem(shp.name))}.dbf next to the .shp`,
      action: 'Give the .shp together with its .dbf, .prj and .cpg, or a .zip of the whole shapefile.',
    });
  }
  assertNotEmpty(dbf);
  checkShpHeader(shp);
  const recordCount = dbfRecordCount(dbf);
  const encoding = dbfEncoding(companion('cpg'), dbf);
  const crs = shapefileCrs(companion('prj'), shp);

  let collection: GeoJSON.FeatureCollection;
  try {
    collection = await readShapefile(shp.bytes, dbf.bytes, { encoding });
  } catch (e) {
    throw new InputError({
      file: shp.name,
      problem: `cannot be read as a shapefile (${describeError(e)})`,
      action: 'Use the original download, or re-export it (e.g. `ogr2ogr out.shp in.shp`).',
    });
  }
  if (collection.features.length !== recordCount) {
    throw new InputError({
      file: dbf.name,
      problem: `has ${recordCount} records but ${baseName(shp.name)} has ${collection.features.length} shapes`,
      expected: 'one .dbf record per shape',
      action: 'The .shp and .dbf come from different exports: take both from the same download.',
    });
  }
  return { file: shp.name, format: 'shapefile', features: collection.features, crs };
}

/**
 * Header checks the shapefile package does not make: it fails on a short file with a bare
 * RangeError, reads any file code, and yields points or lines as readily as polygons.
 */
function checkShpHeader(shp: BoundaryFile): void {
  const { bytes } = shp;
  if (bytes.length < SHP_HEADER_BYTES) {
    throw new InputError({
      file: shp.name,
      problem: `is truncated (${bytes.length} bytes)`,
      expected: `at least the ${SHP_HEADER_BYTES}-byte shapefile header`,
      action: 'Download or copy the file again.',
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileCode = view.getInt32(0, false);
  if (fileCode !== SHP_FILE_CODE) {
    throw new InputError({
      file: shp.name,
      problem: `is not a shapefile (its file code is ${fileCode})`,
      expected: `the shapefile file code ${SHP_FILE_CODE}`,
      action: 'Check that the file is the .shp of an ESRI shapefile, not renamed from another format.',
    });
  }
  const shapeType = view.getInt32(32, true);
  if (!POLYGON_SHAPE_TYPES.has(shapeType)) {
    throw new InputError({
      file: shp.name,
      problem: `holds ${SHAPE_TYPES[shapeType] ?? `type ${shapeType}`} shapes, not polygons`,
      expected: 'polygon boundaries of tracts or block groups',
      action: 'Give the tract boundary layer (polygons), not centroids or lines.',
    });
  }
}

function dbfRecordCount(dbf: BoundaryFile): number {
  const { bytes } = dbf;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < DBF_HEADER_BYTES || view.getUint16(8, true) > bytes.length) {
    throw new InputError({
      file: dbf.name,
      problem: `is truncated (${bytes.length} bytes)`,
      expected: 'a dBase table with a header and one record per shape',
      action: 'Download or copy the file again.',
    });
  }
  return view.getUint32(4, true);
}

/**
 * The text encoding of the .dbf. A .cpg names the code page the way ArcGIS writes it ("UTF-8",
 * "65001", "1252", "ANSI 1252", "ISO 8859-1", "88591"); those are mapped to WHATWG labels, which
 * TextDecoder (and so the shapefile package) takes. Without a .cpg (the 2014 TIGER/Line DC
 * block groups have none) the dBase default is Windows-1252, yet most current tools write UTF-8:
 * text that decodes as strict UTF-8 is almost never Windows-1252, so UTF-8 is tried first.
 */
function dbfEncoding(cpg: BoundaryFile | undefined, dbf: BoundaryFile): string {
  if (!cpg || cpg.bytes.length === 0) {
    const view = new DataView(dbf.bytes.buffer, dbf.bytes.byteOffset, dbf.bytes.byteLength);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(dbf.bytes.subarray(view.getUint16(8, true)));
      return 'utf-8';
    } catch {
      return 'windows-1252';
    }
  }
  const text = new TextDecoder('utf-8').decode(cpg.bytes).trim();
  const lower = text.toLowerCase();
  const iso = /^(?:iso[\s_-]?)?8859[\s_-]?(\d{1,2})$/.exec(lower);
  const windows = /^(?:ansi\s*|cp\s*|windows-?)?(12[5-8]\d|874)$/.exec(lower);
  const label = /^(utf-?8|65001)$/.test(lower)
    ? 'utf-8'
    : iso
      ? `iso-8859-${iso[1]}`
      : windows
        ? `windows-${windows[1]}`
        : lower;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new InputError({
      file: cpg.name,
      problem: `names the encoding "${text}", which this reader does not know`,
      expected: 'a code page such as UTF-8, 1252 or ISO 8859-1',
      action: 'Fix the .cpg, or save the shapefile as UTF-8 (e.g. `ogr2ogr -lco ENCODING=UTF-8 out.shp in.shp`).',
    });
  }
}

/**
 * The coordinate system from the .prj (OGC or ESRI WKT). A geographic one (GEOGCS, as in every
 * Census boundary file) is used as is; NAD83 and WGS84 differ by about a metre, far below what a
 * tract map shows. A projected one is converted with proj4, which reads WKT itself.
 */
function shapefileCrs(prj: BoundaryFile | undefined, shp: BoundaryFile): CrsPlan {
  const reprojectAdvice =
    `Add the .prj that came with the shapefile, or reproject it to EPSG:4269 or EPSG:4326 (e.g. ${REPROJECT_COMMAND}).`;
  const wkt = prj ? new TextDecoder('utf-8').decode(prj.bytes).trim() : '';
  if (!prj || wkt === '') {
    return {
      description: 'no .prj: coordinates taken as longitude/latitude (NAD83 or WGS84)',
      blame: shp.name,
      notLonLat: 'coordinates look projected but there is no .prj to say how',
      action: reprojectAdvice,
    };
  }
  const head = /^\s*([A-Z_0-9]+)\s*\[\s*"([^"]*)"/i.exec(wkt);
  const keyword = head ? head[1].toUpperCase() : '';
  const crsName = head ? head[2] : wkt.slice(0, 40);
  if (keyword === 'GEOGCS' || keyword === 'GEOGCRS' || keyword === 'GEODCRS') {
    const description = describeGeographic(crsName);
    return {
      description,
      blame: shp.name,
      notLonLat: `coordinates look projected but ${baseName(prj.name)} says ${description}`,
      action: `Replace the .prj with the one that came with the data, or reproject it to EPSG:4326 (e.g. ${REPROJECT_COMMAND}).`,
    };
  }
  let converter: proj4.Converter;
  try {
    converter = proj4(wkt, 'EPSG:4326');
  } catch (e) {
    throw new InputError({
      file: prj.name,
      problem: `the coordinate system "${crsName}" cannot be converted to longitude/latitude here (proj4: ${describeError(e)})`,
      expected: 'a geographic CRS or a projection proj4 understands',
      action: `Reproject the boundaries to EPSG:4269 or EPSG:4326 (e.g. ${REPROJECT_COMMAND}) or supply a .prj that proj4 understands.`,
    });
  }
  return {
    description: `reprojected from ${crsName} to WGS84 longitude/latitude`,
    toLonLat: (p) => converter.forward([p[0], p[1]]),
    blame: prj.name,
    notLonLat: `reprojecting from ${crsName} does not give longitude/latitude, so the .prj does not match ${baseName(shp.name)}`,
    action: `Check that the .prj belongs to this .shp, or reproject the boundaries to EPSG:4326 (e.g. ${REPROJECT_COMMAND}).`,
  };
}

function describeGeographic(crsName: string): string {
  if (/^(GCS_North_American_1983|NAD83)$/i.test(crsName)) return 'NAD83 geographic (EPSG:4269)';
  if (/^(GCS_WGS_1984|WGS[ _]?84)$/i.test(crsName)) return 'WGS84 geographic (EPSG:4326)';
  return `${crsName} geographic`;
}

function decodeJson(file: BoundaryFile): DecodedLayer {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(file.bytes));
  } catch (e) {
    throw new InputError({
      file: file.name,
      problem: `is not valid JSON (${describeError(e)})`,
      expected: 'a GeoJSON FeatureCollection or a TopoJSON topology',
      action: 'Export the boundaries again, e.g. `ogr2ogr -f GeoJSON out.geojson in.shp`.',
    });
  }
  const type = isObject(json) ? json.type : undefined;
  const lonLat = {
    blame: file.name,
    action: 'Export the boundaries as longitude/latitude, e.g. `ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson in.shp`.',
  };
  if (type === 'Topology') {
    return {
      file: file.name,
      format: 'topojson',
      features: topologyFeatures(file, json as unknown as Topology),
      crs: {
        ...lonLat,
        description: 'longitude/latitude (TopoJSON)',
        notLonLat: 'coordinates look projected, but this reader needs longitude/latitude TopoJSON',
      },
    };
  }
  if (type !== 'FeatureCollection' || !isObject(json) || !Array.isArray(json.features)) {
    const what = typeof type === 'string' ? `a GeoJSON ${type}` : 'JSON without a GeoJSON "type"';
    throw new InputError({
      file: file.name,
      problem: `holds ${what}, not a FeatureCollection`,
      expected: 'a FeatureCollection with one feature per tract, each with a GEOID property',
      action: 'Export the layer as a FeatureCollection, e.g. `ogr2ogr -f GeoJSON out.geojson in.shp`.',
    });
  }
  return {
    file: file.name,
    format: 'geojson',
    features: (json.features as unknown[]).map(asFeature),
    crs: {
      ...lonLat,
      description: 'WGS84 longitude/latitude (GeoJSON, RFC 7946 §4)',
      notLonLat: 'coordinates look projected, but GeoJSON is longitude/latitude (RFC 7946 §4)',
    },
  };
}

/** Every object of the topology as features, in object order; feature numbers run on across objects. */
function topologyFeatures(file: BoundaryFile, topology: Topology): (RawFeature | null)[] {
  if (!isObject(topology.objects) || !Array.isArray(topology.arcs)) {
    throw new InputError({
      file: file.name,
      problem: 'is a TopoJSON Topology without "objects" and "arcs"',
      expected: 'a topology as written by topojson-server or mapshaper',
      action: 'Export the boundaries again, e.g. `mapshaper in.shp -o format=topojson out.json`.',
    });
  }
  try {
    return Object.values(topology.objects).flatMap((object) => {
      const converted = topojsonFeature(topology, object);
      return converted.type === 'FeatureCollection' ? converted.features.map(asFeature) : [asFeature(converted)];
    });
  } catch (e) {
    throw new InputError({
      file: file.name,
      problem: `has a topology that cannot be converted to features (${describeError(e)})`,
      action: 'Export the boundaries again, e.g. `mapshaper in.shp -o format=topojson out.json`.',
    });
  }
}

function asFeature(value: unknown): RawFeature | null {
  if (!isObject(value) || value.type !== 'Feature') return null;
  return {
    type: 'Feature',
    geometry: (value.geometry ?? null) as GeoJSON.Geometry | null,
    properties: isObject(value.properties) ? value.properties : {},
  };
}

function buildBoundarySet(layer: DecodedLayer, requestedId: string | undefined): BoundarySet {
  const { file, features } = layer;
  if (features.length === 0) {
    throw new InputError({
      file,
      problem: 'holds no features',
      expected: 'one polygon per tract or block group',
      action: 'Check that this is the boundary layer and that it was exported whole.',
    });
  }
  const idProperty = chooseIdProperty(file, features, requestedId);
  const rawIds = features.map((f) => f?.properties?.[idProperty]);
  // Each feature's unit is what its own id says; the set's is the one most features are.
  const units = unitOfIds(rawIds.filter(isIdValue));
  const unitKind = units.kind;
  const mixed = mixedUnitsNote(file, units);

  const accepted: BoundaryFeature[] = [];
  const acceptedNumbers: number[] = [];
  const repairedIds: BoundarySet['repairedIds'] = [];
  const rejected: RejectedRow[] = [];
  const firstFeatureOf = new Map<string, number>();
  const closedRingFeatures: number[] = [];
  let vertices = 0;
  features.forEach((f, i) => {
    const row = i + 1;
    if (f === null) {
      rejected.push({ row, reason: 'the entry is not a GeoJSON Feature' });
      return;
    }
    const raw = rawIds[i];
    if (raw === null || raw === undefined || raw === '') {
      rejected.push({ row, column: idProperty, reason: `the feature has no ${idProperty} value` });
      return;
    }
    if (!isIdValue(raw)) {
      rejected.push({ row, column: idProperty, reason: `${idProperty} is a ${typeof raw}, not a GEOID` });
      return;
    }
    const id = normalizeGeoidAs(raw, unitKind);
    if (!id.ok) {
      rejected.push({ row, geoid: String(raw), column: idProperty, reason: id.reason });
      return;
    }
    const geometryProblem = polygonProblem(f.geometry);
    if (geometryProblem) {
      rejected.push({ row, geoid: id.geoid, reason: geometryProblem });
      return;
    }
    const checked = checkedGeometry(f.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon);
    vertices += checked.vertices;
    if (vertices > MAX_BOUNDARY_VERTICES) {
      throw new InputError({
        file,
        row,
        rowKind: 'feature',
        problem: `the file has more than ${MAX_BOUNDARY_VERTICES.toLocaleString('en-US')} vertices`,
        expected: 'boundaries of one region (a national TIGER/Line tract file has about 40 million)',
        action: 'Cut the file to your region, or use the generalised cartographic boundary files (cb_…_500k).',
      });
    }
    if (checked.problem) {
      rejected.push({ row, geoid: id.geoid, reason: checked.problem });
      return;
    }
    if (checked.closedRings) closedRingFeatures.push(row);
    const first = firstFeatureOf.get(id.geoid);
    if (first !== undefined) {
      throw new InputError({
        file,
        row,
        rowKind: 'feature',
        column: idProperty,
        problem: `${unitKind} ${id.geoid} appears in feature ${first} and again in feature ${row}`,
        expected: `one feature per ${unitKind}`,
        action: `Merge the parts into one feature (e.g. \`mapshaper in.shp -dissolve ${idProperty}\`) or remove the duplicate.`,
      });
    }
    firstFeatureOf.set(id.geoid, row);
    if (id.repaired) repairedIds.push({ feature: row, before: String(raw), after: id.geoid });
    const name = f.properties?.NAMELSAD ?? f.properties?.NAME;
    const properties: BoundaryFeatureProps = { GEOID: id.geoid };
    if (name !== null && name !== undefined && name !== '') properties.name = String(name);
    accepted.push({ type: 'Feature', properties, geometry: checked.geometry });
    acceptedNumbers.push(row);
  });

  if (accepted.length === 0) {
    const reasons = [...new Set(rejected.map((r) => r.reason))].slice(0, 3).join('; ');
    throw new InputError({
      file,
      problem: `none of the ${features.length} features can be used (${reasons})`,
      expected: `polygons with a ${idProperty} holding a tract or block-group GEOID`,
      action: 'Check that this is the boundary layer and the id property is the right one.',
    });
  }
  checkCrsMatchesData(file, accepted, layer.crs);
  const lonLat = toLonLat(accepted, acceptedNumbers, layer.crs);
  for (const feature of lonLat) rewind(feature, { mutate: true });
  const warnings: string[] = mixed ? [mixed] : [];
  if (closedRingFeatures.length) {
    warnings.push(`${closedRingFeatures.length} features had rings that were not closed; they were closed by repeating their first point (features ${listNumbers(closedRingFeatures)})`);
  }
  const outside = lonLat.map((f, i) => ({ f, n: acceptedNumbers[i] })).filter(({ f }) => {
    const p = firstPosition(f.geometry);
    return !inUnitedStates(p[0], p[1]);
  });
  if (outside.length) {
    const p = firstPosition(outside[0].f.geometry);
    warnings.push(
      `${outside.length} of ${lonLat.length} features lie outside the United States and its territories (feature ${outside[0].n} at ${p[0].toFixed(3)}, ${p[1].toFixed(3)}): ` +
        `check the coordinate system (${layer.crs.description}) and that this is the right file`,
    );
  }
  return {
    file,
    format: layer.format,
    features: lonLat,
    idProperty,
    crs: layer.crs.description,
    repairedIds,
    rejected,
    unitKind,
    warnings,
  };
}

function chooseIdProperty(
  file: string,
  features: readonly (RawFeature | null)[],
  requested: string | undefined,
): string {
  const present = new Set<string>();
  for (const f of features) {
    for (const [key, value] of Object.entries(f?.properties ?? {})) {
      if (value !== null && value !== undefined) present.add(key);
    }
  }
  const found = present.size > 0 ? [...present].join(', ') : 'no properties';
  if (requested !== undefined) {
    if (present.has(requested)) return requested;
    throw new InputError({
      file,
      column: requested,
      problem: `the id property "${requested}" is not in the file (its features have ${found})`,
      expected: 'the property that holds the tract or block-group GEOID',
      action: `Name one of the properties above with --columns '{"boundaryId": "NAME"}'.`,
    });
  }
  const candidate = BOUNDARY_ID_CANDIDATES.find((c) => present.has(c));
  if (candidate) return candidate;
  throw new InputError({
    file,
    problem:
      `no feature has a GEOID property (looked for ${BOUNDARY_ID_CANDIDATES.join(', ')}; ` +
      `the features have ${found})`,
    expected: 'a property holding the 11-digit tract or 12-digit block-group GEOID',
    action: `Say which property holds the id with --columns '{"boundaryId": "NAME"}', NAME being one of the properties above.`,
  });
}

/** Why a geometry cannot be a boundary, or null when it can. */
function polygonProblem(geometry: GeoJSON.Geometry | null): string | null {
  if (!geometry) return 'the feature has no geometry (a null shape)';
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    return `the geometry is a ${String(geometry.type)}, not a Polygon or MultiPolygon`;
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const empty = (rings: unknown) => !Array.isArray(rings) || rings.length === 0;
  if (empty(polygons) || polygons.some(empty)) {
    return 'the polygon has no coordinates';
  }
  for (const ring of polygons.flat()) {
    if (!Array.isArray(ring) || ring.length < 3) return 'a ring has fewer than 3 positions';
    if (ring.some((p) => !Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
      return 'a position is not a pair of numbers';
    }
  }
  return null;
}

function firstPosition(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): Position {
  return g.type === 'Polygon' ? g.coordinates[0][0] : g.coordinates[0][0][0];
}

function listNumbers(ns: readonly number[], max = 10): string {
  return ns.slice(0, max).join(', ') + (ns.length > max ? `, … (${ns.length - max} more)` : '');
}

/** Rings closed where they were not, and checked (bow-ties, holes outside their shell). */
function checkedGeometry(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): {
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  closedRings: number;
  problem: string | null;
  vertices: number;
} {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let closedRings = 0;
  let vertices = 0;
  const out: Position[][][] = [];
  for (const [i, polygon] of polygons.entries()) {
    for (const ring of polygon) vertices += ring.length;
    const { rings, findings } = checkPolygonRings(polygon);
    closedRings += findings.closedRings;
    if (findings.problem) return { geometry: g, closedRings, problem: polygons.length > 1 ? `part ${i + 1}: ${findings.problem}` : findings.problem, vertices };
    out.push(rings as Position[][]);
  }
  const geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon = g.type === 'Polygon' ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out };
  return { geometry, closedRings, problem: null, vertices };
}

/**
 * A projected .prj on coordinates that are longitude/latitude: reprojecting would put every tract
 * within metres of (0, 0) and the map would look empty. Real projected coordinates of any US
 * region are thousands of units from the projection's origin.
 */
function checkCrsMatchesData(file: string, features: readonly BoundaryFeature[], crs: CrsPlan): void {
  if (!crs.toLonLat || features.length === 0) return;
  const positions = function* () {
    for (const f of features) {
      const g = f.geometry;
      for (const polygon of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) for (const ring of polygon) yield* ring;
    }
  };
  const [w, s, e, n] = boundsOf(positions());
  if (w >= -180 && e <= 180 && s >= -90 && n <= 90) {
    throw new InputError({
      file: crs.blame,
      problem: `it says the coordinates are projected (${crs.description.replace(/^reprojected from /, '').replace(/ to WGS84.*$/, '')}), but those of ${baseName(file)} are longitude/latitude (from ${w.toFixed(3)}, ${s.toFixed(3)} to ${e.toFixed(3)}, ${n.toFixed(3)}): read as projected, every tract would land near (0, 0)`,
      expected: 'the .prj that came with the shapefile',
      action: 'Replace the .prj with a geographic one (NAD83, EPSG:4269) or remove it.',
    });
  }
}

/**
 * Reproject when the CRS asks for it, then check every position is a longitude/latitude: a
 * projected file without its .prj has coordinates in metres or feet, far outside ±180/±90.
 */
function toLonLat(features: BoundaryFeature[], featureNumbers: readonly number[], crs: CrsPlan): BoundaryFeature[] {
  return features.map((feature, i) => {
    const convert = (p: Position): Position => {
      const q = crs.toLonLat ? crs.toLonLat(p) : p;
      if (!(Math.abs(q[0]) <= 180 && Math.abs(q[1]) <= 90)) {
        throw new InputError({
          file: crs.blame,
          row: featureNumbers[i],
          rowKind: 'feature',
          problem: `${crs.notLonLat}: the point (${p[0]}, ${p[1]}) is outside longitude ±180 / latitude ±90`,
          expected: 'longitude/latitude coordinates',
          action: crs.action,
        });
      }
      return q;
    };
    const g = feature.geometry;
    const geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon =
      g.type === 'Polygon'
        ? { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(convert)) }
        : { type: 'MultiPolygon', coordinates: g.coordinates.map((rings) => rings.map((ring) => ring.map(convert))) };
    return { ...feature, geometry };
  });
}

function assertNotEmpty(file: BoundaryFile): void {
  if (file.bytes.length > 0) return;
  throw new InputError({
    file: file.name,
    problem: 'is empty (0 bytes)',
    expected: EXPECTED_INPUT,
    action: 'Download or copy the file again; an interrupted copy leaves an empty file.',
  });
}

function isIdValue(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** proj4 throws strings, the shapefile package Errors. */
function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function extension(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < name.lastIndexOf('/') + 1 ? name : name.slice(0, dot);
}

/** A user's area layer (neighbourhoods, districts, zones): one feature per named area. */
export interface AreaLayer {
  readonly file: string;
  readonly format: BoundarySet['format'];
  /** Longitude/latitude polygons; features of one name are merged into one MultiPolygon. */
  readonly features: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { name: string }>[];
  /** The property that held the names. */
  readonly nameProperty: string;
  /** Every property that has a value in some feature (the other choices of name field). */
  readonly fields: readonly string[];
  readonly crs: string;
  /** Features that cannot be used; `row` is the 1-based feature number. */
  readonly rejected: RejectedRow[];
  /** Names that several features share (their polygons were merged into one area). */
  readonly merged: readonly { name: string; features: number[] }[];
}

/** Name properties tried, in order, when none is given (Chicago's community areas use `community`). */
export const AREA_NAME_CANDIDATES = ['name', 'NAME', 'Name', 'community', 'COMMUNITY', 'area_name', 'AREA_NAME', 'neighborhood', 'NEIGHBORHOOD', 'neighbourhood', 'district', 'DISTRICT', 'label', 'id', 'ID'] as const;

/** The properties of an area layer's features that hold a value somewhere (for a name-field picker). */
export async function areaLayerFields(files: readonly BoundaryFile[]): Promise<string[]> {
  const { features } = await decodeLayer(files);
  const present = new Set<string>();
  for (const f of features) for (const [key, value] of Object.entries(f?.properties ?? {})) if (value !== null && value !== undefined && value !== '') present.add(key);
  return [...present];
}

/**
 * Read an area layer with the same formats, reprojection and geometry checks as tract boundaries
 * (`readBoundaries`), keyed by a name property instead of a GEOID.
 */
export async function readAreaLayer(files: readonly BoundaryFile[], options: { nameProperty?: string } = {}): Promise<AreaLayer> {
  const layer = await decodeLayer(files);
  const { file, features } = layer;
  if (features.length === 0) {
    throw new InputError({ file, problem: 'holds no features', expected: 'one polygon per area', action: 'Check that this is the area layer and that it was exported whole.' });
  }
  const present = new Set<string>();
  for (const f of features) for (const [key, value] of Object.entries(f?.properties ?? {})) if (value !== null && value !== undefined && value !== '') present.add(key);
  const found = present.size > 0 ? [...present].join(', ') : 'no properties';
  const requested = options.nameProperty;
  if (requested !== undefined && !present.has(requested)) {
    throw new InputError({ file, column: requested, problem: `the name field "${requested}" is not in the file (its features have ${found})`, expected: 'the property that holds each area\'s name', action: 'Name one of the properties above with --area-name FIELD.' });
  }
  const nameProperty = requested ?? AREA_NAME_CANDIDATES.find((c) => present.has(c));
  if (!nameProperty) {
    throw new InputError({ file, problem: `no feature has a name property (looked for ${AREA_NAME_CANDIDATES.join(', ')}; the features have ${found})`, expected: 'a property holding each area\'s name', action: 'Say which property holds the names with --area-name FIELD.' });
  }
  const rejected: RejectedRow[] = [];
  const byName = new Map<string, { rows: number[]; polygons: Position[][][] }>();
  let vertices = 0;
  features.forEach((f, i) => {
    const row = i + 1;
    if (f === null) return void rejected.push({ row, reason: 'the entry is not a GeoJSON Feature' });
    const raw = f.properties?.[nameProperty];
    if (raw === null || raw === undefined || String(raw).trim() === '') return void rejected.push({ row, column: nameProperty, reason: `the feature has no ${nameProperty} value` });
    if (typeof raw !== 'string' && typeof raw !== 'number') return void rejected.push({ row, column: nameProperty, reason: `${nameProperty} is a ${typeof raw}, not a name` });
    const problem = polygonProblem(f.geometry);
    if (problem) return void rejected.push({ row, geoid: String(raw), reason: problem });
    const checked = checkedGeometry(f.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon);
    vertices += checked.vertices;
    if (vertices > MAX_BOUNDARY_VERTICES) {
      throw new InputError({ file, row, rowKind: 'feature', problem: `the file has more than ${MAX_BOUNDARY_VERTICES.toLocaleString('en-US')} vertices`, expected: 'areas of one region', action: 'Simplify the layer (e.g. `mapshaper in.shp -simplify 10%`).' });
    }
    if (checked.problem) return void rejected.push({ row, geoid: String(raw), reason: checked.problem });
    const name = String(raw).trim();
    let entry = byName.get(name);
    if (!entry) byName.set(name, (entry = { rows: [], polygons: [] }));
    entry.rows.push(row);
    const g = checked.geometry;
    entry.polygons.push(...(g.type === 'Polygon' ? [g.coordinates] : g.coordinates));
  });
  if (byName.size === 0) {
    const reasons = [...new Set(rejected.map((r) => r.reason))].slice(0, 3).join('; ');
    throw new InputError({ file, problem: `none of the ${features.length} features can be used (${reasons})`, expected: `polygons with a ${nameProperty}`, action: 'Check that this is the area layer and the name field is the right one (--area-name FIELD).' });
  }
  const names = [...byName.keys()];
  const asFeatures: BoundaryFeature[] = names.map((name) => {
    const { polygons } = byName.get(name)!;
    const geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return { type: 'Feature', properties: { GEOID: name }, geometry };
  });
  const firstRows = names.map((n) => byName.get(n)!.rows[0]);
  checkCrsMatchesData(file, asFeatures, layer.crs);
  const lonLat = toLonLat(asFeatures, firstRows, layer.crs);
  for (const feature of lonLat) rewind(feature, { mutate: true });
  return {
    file,
    format: layer.format,
    features: lonLat.map((f) => ({ type: 'Feature', properties: { name: f.properties.GEOID }, geometry: f.geometry })),
    nameProperty,
    fields: [...present],
    crs: layer.crs.description,
    rejected,
    merged: names.filter((n) => byName.get(n)!.rows.length > 1).map((n) => ({ name: n, features: byName.get(n)!.rows })),
  };
}
