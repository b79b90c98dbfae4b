/**
 * The flagged tracts of the change view as a list: filter by flag and by words, sort by name, ΔH or
 * real growth; a click goes to the tract (panel open, map there). The same flags as the CLI's columns.
 */
import { memo, useMemo, useState } from 'react';
import type { ChangeAnalysis } from '../core/change';
import { FLAG_STYLES } from '../map/colors';
import { fixed, pct } from './format';

type FlagKey = keyof typeof FLAG_STYLES;
const FLAGS = Object.keys(FLAG_STYLES) as FlagKey[];
type SortKey = 'name' | 'dh' | 'growth';

export const FlagList = memo(function FlagList({ change, names, onSelect, selected }: { change: ChangeAnalysis; names: ReadonlyMap<string, string>; onSelect: (geoid: string) => void; selected: string | null }) {
  const [flag, setFlag] = useState<FlagKey | 'any'>('income_upgrading');
  const [words, setWords] = useState('');
  const [sort, setSort] = useState<SortKey>('dh');
  const rows = useMemo(() => {
    const w = words.toLowerCase().split(/\s+/).filter(Boolean);
    const list = change.tracts.filter((t) => (flag === 'any' ? FLAGS.some((f) => t.flags[f]) : t.flags[flag]) && w.every((x) => `${names.get(t.geoid) ?? ''} ${t.geoid}`.toLowerCase().includes(x)));
    const key = (t: (typeof list)[number]) => (sort === 'dh' ? -t.deltaEntropy : sort === 'growth' ? -t.realMedianGrowth : 0);
    return sort === 'name' ? list.sort((a, b) => (names.get(a.geoid) ?? a.geoid).localeCompare(names.get(b.geoid) ?? b.geoid, 'en', { numeric: true })) : list.sort((a, b) => (key(a) || 0) - (key(b) || 0));
  }, [change, flag, words, sort, names]);
  return (
    <section className="flag-list" aria-label="Flagged tracts" data-testid="flag-list">
      <h2>Flagged tracts</h2>
      <div className="flag-list-controls">
        <select aria-label="Flag" value={flag} data-testid="flag-list-flag" onChange={(e) => setFlag(e.target.value as FlagKey | 'any')}>
          {FLAGS.map((f) => (
            <option key={f} value={f}>
              {FLAG_STYLES[f].label} ({change.flagCounts[f]})
            </option>
          ))}
          <option value="any">Any flag</option>
        </select>
        <input type="text" aria-label="Filter flagged tracts by name or GEOID" placeholder="Filter by name, county, GEOID" value={words} onChange={(e) => setWords(e.target.value)} />
        <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
          <option value="dh">Sort: ΔH, largest first</option>
          <option value="growth">Sort: real growth, largest first</option>
          <option value="name">Sort: name</option>
        </select>
      </div>
      <p className="note" data-testid="flag-list-count">
        {rows.length} tract{rows.length === 1 ? '' : 's'}
      </p>
      <ol className="flag-rows">
        {rows.map((t) => (
          <li key={t.geoid} data-geoid={t.geoid} aria-current={t.geoid === selected ? 'true' : undefined}>
            <button className="link" onClick={() => onSelect(t.geoid)}>
              {names.get(t.geoid) ?? t.geoid}
            </button>
            <span className="figures">
              ΔH {Number.isFinite(t.deltaEntropy) ? (t.deltaEntropy > 0 ? '+' : '') + fixed(t.deltaEntropy, 2) : '—'} · growth {Number.isFinite(t.realMedianGrowth) ? pct(t.realMedianGrowth, 0) : '—'}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
});
