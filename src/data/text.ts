/**
 * Bytes → text → rows, with the encoding problems real census downloads have: UTF-8 with or
 * without BOM, old American FactFinder exports in Latin-1, spreadsheets saved as UTF-16, and
 * binary files (an .xlsx or a shapefile) given where a table was expected.
 */
import { InputError } from './errors';
import { MAX_TABLE_BYTES, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS } from './limits';

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
  if (bytes.length > MAX_TABLE_BYTES) {
    throw new InputError({
      file,
      problem: `the table is ${(bytes.length / 2 ** 20).toFixed(0)} MB`,
      expected: `at most ${MAX_TABLE_BYTES / 2 ** 20} MB (all block groups of the US with margins of error are about 60 MB)`,
      action: 'Download the table for your region only (one state or a few counties).',
    });
  }
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

/** One row of a table: its 1-based physical line (or JSON array index), its cells. */
export interface RawRow {
  readonly line: number;
  readonly cells: string[];
  /**
   * Why the row's framing is broken (an opening quote never closed): its cells are empty and
   * every reader rejects it with this reason, so the rows after it are still read.
   */
  readonly problem?: string;
}

/** A table's rows with the 1-based line (or JSON array index) each came from. */
export interface RawTable {
  readonly header: string[];
  readonly rows: RawRow[];
  readonly container: 'csv' | 'json';
  /** The CSV field separator detected from the header line. */
  readonly delimiter?: string;
}

const DELIMITERS = [',', '\t', ';', '|'];

/** The separator of the header line: the candidate seen most often outside quotes (comma on a tie). */
export function detectDelimiter(text: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

interface CsvRecord {
  cells: string[];
  /** Index just past the record's line break. */
  end: number;
  /** Physical lines the record spans (line breaks inside quotes + 1). */
  lines: number;
  /** A quoted cell ran to the end of the file without its closing quote. */
  unterminated: boolean;
}

/** The record starting at `start` (RFC 4180: quotes double inside quoted cells; CRLF, LF or CR). */
function readRecord(text: string, start: number, delimiter: string): CsvRecord {
  const cells: string[] = [];
  let i = start;
  let lines = 1;
  let unterminated = false;
  const n = text.length;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      let content = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          content += text.slice(i);
          i = n;
          unterminated = true;
          break;
        }
        content += text.slice(i, q);
        if (text[q + 1] === '"') {
          content += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      lines += content.split(/\r\n|\n|\r/).length - 1;
      cell = content;
      // Text after the closing quote (`"a"b`) is kept, as spreadsheets do.
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    } else {
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    }
    cells.push(cell);
    if (i < n && text[i] === delimiter) {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (i < n) i++;
    return { cells, end: i, lines, unterminated };
  }
}

/** Index just past the line break that ends the physical line starting at `start`. */
function endOfLine(text: string, start: number): number {
  const m = /\r\n|\n|\r/g;
  m.lastIndex = start;
  const hit = m.exec(text);
  return hit ? hit.index + hit[0].length : text.length;
}

const UNCLOSED_QUOTE =
  'an opening quote (") on this line is never closed, so the line cannot be split into cells (the lines after it are read on their own)';

/**
 * CSV text → header + rows with physical line numbers. A quoted cell may span lines (a name with
 * a line break); a quote that is never closed, or that would swallow whole rows, breaks only its
 * own line: that line is returned with `problem` and reading resumes on the next line. Blank
 * lines are skipped (they are not rows).
 */
export function parseCsv(file: string, text: string): { header: string[]; rows: RawRow[]; delimiter: string } {
  const delimiter = detectDelimiter(text);
  let pos = 0;
  let line = 1;
  let header: string[] | null = null;
  const rows: RawRow[] = [];
  while (pos < text.length) {
    const record = readRecord(text, pos, delimiter);
    const blank = record.cells.length === 1 && record.cells[0].trim() === '' && record.lines === 1 && !record.unterminated;
    const expected = header?.length;
    // A quote that opens a cell spanning lines is believed only when the row then has the
    // header's width and its first line does not already hold a whole row (a stray quote does).
    const firstLine = () => text.slice(pos, endOfLine(text, pos)).replace(/\r?\n$|\r$/, '');
    const swallows =
      record.unterminated ||
      (record.lines > 1 && expected !== undefined && (record.cells.length !== expected || firstLine().split(delimiter).length >= expected));
    if (swallows) {
      if (header === null) {
        throw new InputError({
          file,
          row: line,
          problem: 'an opening quote (") in the header line is never closed',
          expected: 'a header line of column names',
          action: 'Remove the stray quote, or save the file again from the spreadsheet as CSV.',
        });
      }
      rows.push({ line, cells: [], problem: UNCLOSED_QUOTE });
      pos = endOfLine(text, pos);
      line += 1;
      continue;
    }
    if (!blank) {
      if (header === null) {
        header = record.cells.map((h) => h.trim());
        if (header.length > MAX_TABLE_COLUMNS) throw tableTooLarge(file, `${header.length} columns`, `at most ${MAX_TABLE_COLUMNS.toLocaleString('en-US')} columns`);
      } else {
        rows.push({ line, cells: record.cells });
        if (rows.length > MAX_TABLE_ROWS) throw tableTooLarge(file, `more than ${MAX_TABLE_ROWS.toLocaleString('en-US')} rows`, `at most ${MAX_TABLE_ROWS.toLocaleString('en-US')} rows (the US has about 85,000 tracts and 240,000 block groups)`);
      }
    }
    pos = record.end;
    line += record.lines;
  }
  return { header: header ?? [], rows, delimiter };
}

function tableTooLarge(file: string, what: string, expected: string): InputError {
  return new InputError({ file, problem: `the table has ${what}`, expected, action: 'Download the table for your region only (one state or a few counties).' });
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
    if (data.length - 1 > MAX_TABLE_ROWS) throw tableTooLarge(file, `${data.length - 1} rows`, `at most ${MAX_TABLE_ROWS.toLocaleString('en-US')} rows`);
    if ((data[0] as unknown[]).length > MAX_TABLE_COLUMNS) throw tableTooLarge(file, `${(data[0] as unknown[]).length} columns`, `at most ${MAX_TABLE_COLUMNS.toLocaleString('en-US')} columns`);
    const [head, ...rest] = data as unknown[][];
    // A nested list or object is no cell value; it is named, never stringified (it may be deep).
    const cell = (c: unknown) => (c === null || c === undefined ? '' : typeof c === 'object' ? (Array.isArray(c) ? '(a JSON list)' : '(a JSON object)') : String(c));
    return {
      header: head.map((h) => cell(h).trim()),
      rows: rest.map((r, i) => ({ line: i + 2, cells: r.map(cell) })),
      container: 'json',
    };
  }
  const { header, rows, delimiter } = parseCsv(file, text);
  if (header.length === 0) {
    throw new InputError({ file, problem: 'no rows could be read', expected: 'a header row and one row per tract' });
  }
  return { header, rows, container: 'csv', delimiter };
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
