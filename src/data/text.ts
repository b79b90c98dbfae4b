/**
 * Bytes → text → rows, with the encoding problems real census downloads have: UTF-8 with or
 * without BOM, old American FactFinder exports in Latin-1, spreadsheets saved as UTF-16, and
 * binary files (an .xlsx or a shapefile) given where a table was expected.
 */
import Papa from 'papaparse';
import { InputError } from './errors';

export interface DecodedText {
  readonly text: string;
  /** The encoding used, and why when it was not plain UTF-8. */
  readonly encoding: string;
  readonly warnings: string[];
}

function looksBinary(bytes: Uint8Array): string | null {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a ZIP archive (an .xlsx workbook or a zipped download)';
  const head = bytes.subarray(0, 4096);
  for (let i = 0; i < head.length; i++) if (head[i] === 0) return 'a binary file (it contains NUL bytes)';
  return null;
}

/** Decode a text file; throws InputError for empty or binary files. */
export function decodeText(file: string, bytes: Uint8Array): DecodedText {
  const warnings: string[] = [];
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
    warnings.push(`${file} is UTF-16 (${le ? 'little' : 'big'}-endian); read as such`);
    return checkNotEmpty(file, { text, encoding: le ? 'UTF-16LE' : 'UTF-16BE', warnings });
  }
  const binary = looksBinary(bytes);
  if (binary) {
    throw new InputError({
      file,
      problem: `this is ${binary}, not a text table`,
      expected: 'a CSV or Census API JSON file',
      action: 'Open it in a spreadsheet and save it as "CSV UTF-8", or give the .csv/.json file itself.',
    });
  }
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
    return checkNotEmpty(file, { text, encoding: 'UTF-8', warnings });
  } catch {
    const text = new TextDecoder('windows-1252').decode(bytes);
    warnings.push(`${file} is not valid UTF-8; read as Windows-1252/Latin-1 (usual for old American FactFinder exports)`);
    return checkNotEmpty(file, { text, encoding: 'Windows-1252', warnings });
  }
}

function checkNotEmpty(file: string, decoded: DecodedText): DecodedText {
  if (decoded.text.trim() === '') {
    throw new InputError({
      file,
      problem: 'the file is empty',
      expected: 'a header row and one row per tract',
      action: 'Check that the download finished and that you picked the right file.',
    });
  }
  return decoded;
}

/** A table's rows with the 1-based line (or JSON array index) each came from. */
export interface RawTable {
  readonly header: string[];
  readonly rows: { readonly line: number; readonly cells: string[] }[];
  readonly container: 'csv' | 'json';
}

/** Parse CSV text or a Census API JSON array of arrays into header + rows. */
export function parseTable(file: string, text: string): RawTable {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError({
        file,
        problem: `the JSON does not parse (${(e as Error).message})`,
        expected: 'a Census API response: an array of arrays whose first row is the header',
        action: 'Save the API response unchanged, or convert it to CSV.',
      });
    }
    if (!Array.isArray(data) || data.length === 0 || !data.every((r) => Array.isArray(r))) {
      throw new InputError({
        file,
        problem: 'the JSON is not an array of arrays',
        expected: 'a Census API response: [["NAME","B19001_001E",…,"state","county","tract"], […], …]',
        action: 'Save the API response unchanged, or convert it to CSV.',
      });
    }
    const [head, ...rest] = data as unknown[][];
    return {
      header: head.map((h) => String(h).trim()),
      rows: rest.map((r, i) => ({ line: i + 2, cells: r.map((c) => (c === null || c === undefined ? '' : String(c))) })),
      container: 'json',
    };
  }
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  const all = parsed.data;
  if (all.length === 0) {
    throw new InputError({ file, problem: 'no rows could be read', expected: 'a header row and one row per tract' });
  }
  const header = all[0].map((h) => h.trim());
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = 1; i < all.length; i++) {
    const cells = all[i];
    if (cells.length === 1 && cells[0].trim() === '') continue; // blank line
    rows.push({ line: i + 1, cells });
  }
  return { header, rows, container: 'csv' };
}

const parsed = new WeakMap<Uint8Array, { decoded: DecodedText; raw: RawTable }>();

/**
 * Decode and parse a file once: the income reader (once per year of a multi-year file), the
 * extra-column reader and the UDP reader all read the same bytes, so the result is kept for as
 * long as the bytes live. Callers must not modify the rows.
 */
export function readTable(file: string, bytes: Uint8Array): { decoded: DecodedText; raw: RawTable } {
  let entry = parsed.get(bytes);
  if (!entry) {
    const decoded = decodeText(file, bytes);
    entry = { decoded, raw: parseTable(file, decoded.text) };
    parsed.set(bytes, entry);
  }
  return entry;
}
