/**
 * UDP typology columns for `tractmix change --definition udp`: the Urban Displacement Project's
 * 2018 typology recomputed from the raw census files given with --income (2018, 2000, optional
 * 1990), the boundaries (rent lag of nearby tracts) and --external (UDP's typology output, read
 * only for the inputs the census files lack: src/data/udpInputs.ts, UDP_EXTERNAL_COLUMNS).
 */
import { udpTypology } from '../../src/core/udp';
import type { ExtraColumnsBlock } from '../../src/data/changeExport';
import { readUdpRegion } from '../../src/data/udpInputs';
import type { ChangeArgs } from './change';
import { parseYearFile, UsageError } from '../lib/args';
import { readBoundaryParts, readUserFile } from '../lib/files';
import type { CliIo } from '../lib/io';

export async function udpBlock(values: ChangeArgs, io: CliIo): Promise<ExtraColumnsBlock> {
  const specs = (values.income ?? []).map(parseYearFile);
  const file = (year: number) => specs.find((s) => s.year === year);
  if (values.bundle || !file(2018) || !file(2000)) {
    throw new UsageError(
      '--definition udp needs the raw UDP census files: --income 2018=<City>census_summ_2018.csv --income 2000=<City>census_00_10*.csv [--income 1990=<City>census_90_10*.csv] --external <City>_typology_output.csv [--boundaries cb_2018_XX_tract_500k.shp]',
    );
  }
  if (!values.external) throw new UsageError('--definition udp needs --external <City>_typology_output.csv (Zillow change, density and affordability inputs the census files lack)');
  const region = await readUdpRegion({
    summary2018: readUserFile(file(2018)!.path, 'income'),
    census2000: readUserFile(file(2000)!.path, 'income'),
    census1990: file(1990) ? readUserFile(file(1990)!.path, 'income') : undefined,
    boundaries: values.boundaries ? readBoundaryParts(values.boundaries) : undefined,
    external: readUserFile(values.external, 'external'),
  });
  for (const note of region.notes) io.err(`udp: ${note}\n`);
  const result = udpTypology(region.tracts, region.neighbours);
  const byId = new Map(result.tracts.map((t) => [t.geoid, t]));
  const bit = (v: boolean | null | undefined) => (v === null || v === undefined ? '' : v ? '1' : '0');
  const counts = new Map<string, number>();
  for (const t of result.tracts) counts.set(t.udp_typology_code, (counts.get(t.udp_typology_code) ?? 0) + 1);
  io.err(`udp: ${result.counts.typed} of ${result.counts.tracts} tracts typed: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  return {
    header: ['udp_vul_gent_00', 'udp_vul_gent_18', 'udp_gent_00_18', 'udp_lostli_18', 'udp_typology', 'udp_typology_label'],
    row: (geoid) => {
      const t = byId.get(geoid);
      if (!t) return ['', '', '', '', '', ''];
      return [bit(t.flags.vul_gent_00), bit(t.flags.vul_gent_18), bit(t.flags.gent_00_18), bit(t.flags.lostli_18), t.udp_typology_code, t.udp_typology ?? ''];
    },
  };
}
