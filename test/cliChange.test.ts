/** `tractmix change` as a user runs it: the demo bundle, UDP mode on Denver's raw files, bad input. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { CRITERIA } from '../src/core/change';
import { describeRealData, realDataPath, readRealText } from './helpers/realData';

function tractmix(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const rows = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });

describe('tractmix change on the demo bundle', () => {
  it('writes one row per tract with both years, change figures, flags and one column per criterion', () => {
    const r = tractmix('change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023');
    expect(r.code, r.stderr).toBe(0);
    const parsed = rows(r.stdout);
    const fields = parsed.meta.fields!;
    for (const y of [2000, 2023]) for (const c of ['households', 'entropy', 'class', 'median_ami']) expect(fields).toContain(`${c}_${y}`);
    for (const c of ['delta_entropy', 'delta_vli', 'delta_vhi', 'real_median_growth', 'boundary_changed', 'stable_mixed', 'income_upgrading', 'transitional', ...Object.keys(CRITERIA)]) {
      expect(fields).toContain(c);
    }
    expect(parsed.data).toHaveLength(430);
    expect(parsed.data.filter((d) => d.stable_mixed === '1')).toHaveLength(60);
    expect(parsed.data.filter((d) => d.boundary_changed === '1')).toHaveLength(30);
    expect(r.stderr).toMatch(/geography: 2000 moved to the 2023 tracts with the dataset's crosswalk 2000→2010/);
    expect(r.stderr).toMatch(/CPI-U 1999→2023 ×1\.8289/);
  });
  it('takes thresholds: --lenient and --min-growth change the flags', () => {
    const strict = rows(tractmix('change', '--bundle', 'data/demo', '--min-growth', '5').stdout).data;
    expect(strict.filter((d) => d.income_upgrading === '1')).toHaveLength(0);
    const lenient = rows(tractmix('change', '--bundle', 'data/demo', '--lenient').stdout).data;
    expect(lenient.filter((d) => d.stable_mixed === '1').length).toBeGreaterThanOrEqual(60);
  });
  it('warns when ACS periods overlap and says which changes were not called', () => {
    const r = tractmix('change', '--bundle', 'data/demo', '--from', '2018', '--to', '2023');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/overlap/); // 2014–18 and 2019–23 do not overlap
    expect(r.stderr).toMatch(/tracts had a change not called because it was within the margin of error/);
    expect(rows(r.stdout).data.some((d) => d.not_called.includes('margin of error'))).toBe(true);
  });
  it.each([
    [['change', '--bundle', 'data/demo', '--definition', 'vibes'], /--definition "vibes" is not income, udp, governing or ncrc/],
    [['change', '--bundle', 'data/demo', '--from', '2023', '--to', '2000'], /--from 2023 must come before --to 2000/],
    [['change', '--bundle', 'data/demo', '--from', '2010'], /--from\/--to 2010: the data have 2000, 2018, 2023/],
    [['change', '--bundle', 'data/demo', '--definition', 'udp'], /--definition udp needs the raw UDP census files/],
    [['change', '--income', '2018=x.csv'], /change needs --bundle DIR, or --income YEAR=FILE at least twice/],
  ])('%j fails with a message', (args, message) => {
    const r = tractmix(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describeRealData('tractmix change --definition udp (Denver, raw census files)', () => {
  it("agrees with UDP's flags for every tract in both years and its published typology for all but the 17 known tracts", () => {
    const d = (f: string) => realDataPath(`udp-denver/${f}`);
    const r = tractmix('change', '--income', `2018=${d('Denvercensus_summ_2018.csv')}`, '--income', `2000=${d('Denvercensus_00_10_2018.csv')}`, '--income', `1990=${d('Denvercensus_90_10_2018.csv')}`,
      '--boundaries', d('cb_2018_08_tract_500k.shp'), '--external', d('Denver_typology_output.csv'), '--definition', 'udp', '--from', '2000', '--to', '2018');
    expect(r.code, r.stderr).toBe(0);
    const ours = new Map(rows(r.stdout).data.map((x) => [x.GEOID, x]));
    const udp = Papa.parse<Record<string, string>>(readRealText('udp-denver/Denver_typology_output.csv'), { header: true, skipEmptyLines: true }).data;
    expect(udp).toHaveLength(675);
    const id = (fips: string) => fips.replace(/\.0$/, '').padStart(11, '0');
    // `change` reports tracts present in both years; UDP also types two tracts of the 2018 file that
    // its 2000 file lacks (no households; UDP: every flag 0, "Unavailable or Unreliable Data").
    expect(udp.map((t) => id(t.FIPS)).filter((g) => !ours.has(g)).sort()).toEqual(['08001988700', '08059980000']);
    const both = udp.filter((t) => ours.has(id(t.FIPS)));
    for (const [col, theirs] of [['udp_vul_gent_00', 'vul_gent_00'], ['udp_vul_gent_18', 'vul_gent_18'], ['udp_gent_00_18', 'gent_00_18'], ['udp_lostli_18', 'lostli_18']]) {
      const differ = both.filter((t) => Number(ours.get(id(t.FIPS))![col]) !== Number(t[theirs])).map((t) => t.FIPS);
      expect(differ, col).toEqual([]);
    }
    const typology = Papa.parse<Record<string, string>>(readRealText('udp-denver/udp_typology_denver.csv'), { header: true, skipEmptyLines: true }).data;
    const differ = typology
      .map((t) => id(String(t.GEOID)))
      .filter((g, i) => ours.has(g) && ours.get(g)!.udp_typology_label !== typology[i].Typology)
      .sort();
    // The known disagreements of test/real/udp.test.ts (DENVER_KNOWN): 13 tracts UDP published as
    // "High Student Population" (enrolment is not in the files) and 4 rent-lag ones (UDP's pooled medians).
    expect(differ).toEqual([
      '08013012202', '08013012204', '08013012300', '08013012401', '08013012507', '08013012511', '08013012605', '08013012607',
      '08031000902', '08031000903', '08031001702', '08031001902', '08031003003', '08031003004', '08031004505', '08031004601', '08059010000',
    ]);
  });
});

describe('tractmix change with published crosswalk files (NHGIS, either direction)', () => {
  const demoCrosswalk = rows(readFileSync('data/demo/crosswalk-2000-2010.csv', 'utf8')).data;
  const dir = mkdtempSync(join(tmpdir(), 'tractmix-xwalk-'));
  it('an NHGIS 2000→2010 file (tr2000ge,tr2010ge,wt_hh) gives the same flags as the bundle\'s own crosswalk', () => {
    const file = join(dir, 'nhgis_tr2000_tr2010.csv');
    writeFileSync(file, 'tr2000gj,tr2000ge,tr2010gj,tr2010ge,wt_pop,wt_hh\n' + demoCrosswalk.map((r) => `G${r.source},${r.source},G${r.target},${r.target},0.5,${r.weight}`).join('\n') + '\n');
    const own = tractmix('change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023');
    const nhgis = tractmix('change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023', '--crosswalk', file);
    expect(nhgis.code, nhgis.stderr).toBe(0);
    expect(nhgis.stderr).toMatch(/with the crosswalk .*nhgis_tr2000_tr2010\.csv/);
    expect(nhgis.stdout).toBe(own.stdout);
  });
  it('a file in the other direction (tr2010ge before tr2000ge) is refused with what to use instead', () => {
    const file = join(dir, 'nhgis_tr2010_tr2000.csv');
    writeFileSync(file, 'tr2010gj,tr2010ge,tr2000gj,tr2000ge,wt_hh\n' + demoCrosswalk.map((r) => `G${r.target},${r.target},G${r.source},${r.source},1`).join('\n') + '\n');
    const r = tractmix('change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023', '--crosswalk', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/this crosswalk moves 2010 tracts to 2000 tracts \(columns tr2010ge → tr2000ge\); expected a crosswalk from the earlier year's tracts to the later year's \(here 2000 → 2023\)\. Use the file in the other direction \(NHGIS publishes both, e\.g\. nhgis_tr2000_tr2010\)/);
  });
});
