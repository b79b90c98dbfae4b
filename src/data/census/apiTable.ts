/**
 * Census Data API answers → one income table per year. The API answers a query with a JSON
 * array of arrays: the first row is the header (the variables asked for, then the geography
 * columns `state`, `county`, `tract`[, `block group`]), every value a string; HTTP 204 with no
 * body when nothing matches; HTTP 400 with a plain-text body such as
 * `error: unknown variable 'B15003_001E'` for a bad request; and an HTML page titled
 * "Invalid Key" when the key is not valid. Each of these gets its own message here.
 */
import { InputError } from '../errors';
import { readIncomeTable, CENSUS_MISSING_CODES, type IncomeTable } from '../income';
import type { CensusUnit, IncomeRelease, VariableGroup } from './releases';

export interface ApiRows {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const GEO_COLUMNS: Record<CensusUnit, readonly string[]> = {
  tract: ['state', 'county', 'tract'],
  'block group': ['state', 'county', 'tract', 'block group'],
};

/** What an API error body says, in a planner's words, with what to do. */
export function apiErrorProblem(url: string, status: number, body: string, release?: IncomeRelease): InputError {
  const text = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  if (/invalid key/i.test(body)) {
    return new InputError({
      file: url,
      problem: 'the Census API rejected the API key ("Invalid Key")',
      expected: 'a key from the Census Bureau\'s key sign-up page, activated from its e-mail',
      action: 'Check --api-key / CENSUS_API_KEY (copy it whole; new keys work only after the activation link is clicked), or leave it out to use the keyless limits.',
    });
  }
  const unknown = /unknown variable '([^']+)'/i.exec(text);
  if (unknown) {
    return new InputError({
      file: url,
      problem: `the ${release ? `${release.label} release (${release.dataset})` : 'release'} has no variable ${unknown[1]}`,
      expected: release ? `the tables ${release.tables.join(', ')}` : undefined,
      action: 'This release does not publish that table at this geography; choose another year, or report it if the Census Bureau lists the variable for that year.',
    });
  }
  if (status === 404) {
    return new InputError({
      file: url,
      problem: `the service answered 404 (not found)${release ? `: there is no ${release.label} ${release.dataset} release at this address` : ''}`,
      action: release && release.survey === 'acs5' ? 'The release may not be out yet (ACS 5-year releases come out in December); pick an earlier year.' : 'Check --api-base / --tiger-base / --geo-base.',
    });
  }
  return new InputError({
    file: url,
    problem: `the service answered HTTP ${status}: "${text.slice(0, 200) || '(empty body)'}"`,
    action: status === 429 ? 'The keyless limit was reached: wait, or get a free API key and pass --api-key.' : 'Try again later; if it persists, check the address.',
  });
}

/**
 * Parse one API answer and check its layout: an array of arrays of strings (or nulls), a header
 * holding every variable asked for and the geography columns, rows as long as the header.
 */
export function parseApiRows(url: string, text: string, group: VariableGroup, unit: CensusUnit): ApiRows {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError({
      file: url,
      problem: `the answer is not JSON (it starts "${text.slice(0, 60).replace(/\s+/g, ' ')}")`,
      expected: 'the Census API\'s JSON array of arrays',
      action: /invalid key/i.test(text) ? 'The API key was rejected: check --api-key.' : 'The service may be down or the address wrong (check --api-base); try again later.',
    });
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((r) => Array.isArray(r))) {
    throw new InputError({ file: url, problem: 'the answer is JSON but not an array of rows: the API\'s layout has changed', expected: '[["NAME","B19001_001E",…,"state","county","tract"],[…],…]', action: 'Report this with the URL; tractmix needs an update for the new layout.' });
  }
  const [head, ...rest] = parsed as unknown[][];
  const header = head.map((h) => String(h));
  const missing = [...group.variables, ...GEO_COLUMNS[unit]].filter((v) => !header.includes(v));
  if (missing.length) {
    throw new InputError({
      file: url,
      problem: `the answer's header lacks ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ', …' : ''}: the column layout has changed`,
      expected: `the variables asked for and ${GEO_COLUMNS[unit].join(', ')}`,
      action: 'Report this with the URL; tractmix needs an update for the new layout.',
    });
  }
  const rows: string[][] = [];
  rest.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new InputError({ file: url, row: i + 2, rowKind: 'record', problem: `row ${i + 2} has ${r.length} values for ${header.length} columns`, action: 'The download may be cut short: run the command again (cached parts are kept).' });
    }
    rows.push(r.map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return { header, rows };
}

/** Join the answers of several variable groups and states on the geography columns. */
export function mergeApiRows(parts: readonly ApiRows[], unit: CensusUnit): ApiRows {
  const geo = GEO_COLUMNS[unit];
  const header: string[] = [];
  for (const p of parts) for (const h of p.header) if (!geo.includes(h) && !header.includes(h)) header.push(h);
  header.push(...geo);
  const byKey = new Map<string, Map<string, string>>();
  for (const p of parts) {
    const geoIndex = geo.map((g) => p.header.indexOf(g));
    for (const row of p.rows) {
      const key = geoIndex.map((i) => row[i]).join(' ');
      let record = byKey.get(key);
      if (!record) byKey.set(key, (record = new Map(geo.map((g, j) => [g, row[geoIndex[j]]]))));
      p.header.forEach((h, i) => {
        if (!geo.includes(h)) record!.set(h, row[i]);
      });
    }
  }
  const rows = [...byKey.values()].map((r) => header.map((h) => r.get(h) ?? ''));
  rows.sort((a, b) => a.slice(-geo.length).join('').localeCompare(b.slice(-geo.length).join('')));
  return { header, rows };
}

/** The year's income table, read by the same reader (and checks) as a user's file. */
export function incomeTableFromApi(name: string, merged: ApiRows, release: IncomeRelease, unit: CensusUnit): IncomeTable {
  const bytes = new TextEncoder().encode(JSON.stringify([merged.header, ...merged.rows]));
  return readIncomeTable(
    { name, bytes },
    {
      year: release.year,
      mapping: {
        id: [...GEO_COLUMNS[unit]],
        total: release.total,
        totalMoe: release.totalMoe && merged.header.includes(release.totalMoe) ? release.totalMoe : undefined,
        brackets: release.brackets,
        moe: release.moe ?? undefined,
        median: release.median ?? undefined,
        bracketSet: release.bracketSet,
        year: release.year,
        incomeYear: release.incomeYear,
        universe: 'households',
        unitKind: unit,
      },
    },
  );
}

/**
 * The extra columns (UDP/LTDB names with the year's suffix, `mrent_18`) of every unit of the
 * table, as sums of their variables; a Census missing-value code or an empty cell gives null.
 */
export function extrasFromApi(merged: ApiRows, release: IncomeRelease, table: IncomeTable, unit: CensusUnit): Map<string, Record<string, number | null>> {
  const yy = String(release.year % 100).padStart(2, '0');
  const geo = GEO_COLUMNS[unit].map((g) => merged.header.indexOf(g));
  const specs = release.extras.filter((e) => e.variables.every((v) => merged.header.includes(v)));
  const rowByGeoid = new Map(merged.rows.map((r) => [geo.map((i) => r[i]).join(''), r]));
  const out = new Map<string, Record<string, number | null>>();
  for (const u of table.units) {
    const row = rowByGeoid.get(u.geoid);
    const record: Record<string, number | null> = {};
    for (const spec of specs) {
      let sum: number | null = 0;
      for (const v of spec.variables) {
        const value = row ? Number(row[merged.header.indexOf(v)]) : NaN;
        const usable = row && row[merged.header.indexOf(v)] !== '' && Number.isFinite(value) && !CENSUS_MISSING_CODES.has(value) && value >= 0;
        sum = usable && sum !== null ? sum + value : null;
      }
      record[spec.stem + yy] = sum;
    }
    out.set(u.geoid, record);
  }
  return out;
}
