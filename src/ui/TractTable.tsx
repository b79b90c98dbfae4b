/**
 * The same figures as the map, as a sortable, filterable table: a non-map view for keyboard and
 * screen-reader users. Large tables keep only the rows in view in the DOM (windowedRows.ts).
 */
import { periodLabel } from '../core/brackets';
import { memo, useMemo, useRef, useState } from 'react';
import { useRowWindow } from './windowedRows';
import type { YearAnalysis } from '../core/analyze';
import { CLASS_CODES } from '../map/colors';
import { DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { count, dollars, fixed, pct } from './format';
import { layerCategories, type LayerCounts } from '../data/layerCounts';

type SortKey = 'geoid' | 'name' | 'households' | 'entropy' | 'class' | 'median' | `g${number}` | `p:${string}`;

export const TractTable = memo(function TractTable(props: {
  analysis: YearAnalysis;
  names: ReadonlyMap<string, string>;
  /** Show only these tracts (the selection), or all. */
  only?: ReadonlySet<string> | null;
  selected: string | null;
  onSelect: (geoid: string) => void;
  picked: readonly string[];
  onTogglePick: (geoid: string) => void;
  /** Issue 12: community assets per tract, one column per layer category (`NAME_<category>`). */
  pointCounts?: readonly LayerCounts[];
}) {
  const { analysis, names, only, selected, onSelect, picked, onTogglePick } = props;
  const pointColumns = (props.pointCounts ?? []).filter((c) => c.tracts).flatMap((c) => layerCategories(c).map((category) => ({ key: `p:${c.name}_${category}`, layer: c, category })));
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'entropy', dir: -1 });
  const [filter, setFilter] = useState('');
  const [classFilter, setClassFilter] = useState<string>('');
  const g = analysis.groups.length;
  const order = useMemo(() => {
    const text = filter.trim().toLowerCase();
    const idx = analysis.geoids
      .map((_, i) => i)
      .filter((i) => (!only || only.has(analysis.geoids[i])) && (!classFilter || analysis.classes[i] === classFilter) && (!text || analysis.geoids[i].includes(text) || (names.get(analysis.geoids[i]) ?? '').toLowerCase().includes(text)));
    const value = (i: number): number | string => {
      switch (sort.key) {
        case 'geoid':
          return analysis.geoids[i];
        case 'name':
          return names.get(analysis.geoids[i]) ?? '';
        case 'households':
          return analysis.households[i];
        case 'entropy':
          return analysis.classes[i] === 'insufficient' ? -1 : analysis.entropy[i];
        case 'class':
          return CLASS_CODES[analysis.classes[i]];
        case 'median':
          return Number.isFinite(analysis.medianIncome[i]) ? analysis.medianIncome[i] : -1;
        default: {
          if (sort.key.startsWith('p:')) {
            const col = pointColumns.find((c) => c.key === sort.key);
            return col?.layer.tracts!.byUnit.get(analysis.geoids[i])?.get(col.category) ?? 0;
          }
          const k = Number(sort.key.slice(1));
          return analysis.households[i] > 0 ? analysis.groupCounts[i * g + k] / analysis.households[i] : -1;
        }
      }
    };
    return idx.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      return (va < vb ? -1 : va > vb ? 1 : 0) * sort.dir;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [analysis, names, sort, g, filter, classFilter, only, props.pointCounts]);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useRowWindow(scroller, order.length);
  const columns = 7 + g + pointColumns.length;
  const header = (key: SortKey, label: string) => (
    <th key={key} scope="col" aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : key === 'geoid' || key === 'name' ? 1 : -1 }))}>
        {label}
        {sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  return (
    <div className="table-view" data-testid="tract-table" ref={scroller}>
      <div className="table-filter">
        <label>
          Find <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="GEOID or name" data-testid="table-filter" />
        </label>
        <label>
          Class{' '}
          <select value={classFilter} onChange={(e) => setClassFilter(e.target.value)} data-testid="table-class-filter">
            <option value="">all</option>
            {Object.entries(DIVERSITY_CLASS_LABELS).map(([k, label]) => (
              <option key={k} value={k}>
                {label.replace(/ \(.*\)$/, '')}
              </option>
            ))}
          </select>
        </label>
        <span role="status">
          {order.length === analysis.geoids.length ? '' : `${order.length.toLocaleString('en-US')} of ${analysis.geoids.length.toLocaleString('en-US')} tracts`}
        </span>
      </div>
      <table aria-rowcount={order.length + 1}>
        <caption>
          {order.length.toLocaleString('en-US')} {only ? 'selected ' : ''}tracts, {periodLabel(analysis.year)}; shares of households by income group ({analysis.schemeDescription})
        </caption>
        <thead>
          <tr>
            <th scope="col">Pick</th>
            {header('geoid', 'GEOID')}
            {header('name', 'Name')}
            {header('households', 'Households')}
            {header('entropy', 'H')}
            {header('class', 'Class')}
            {header('median', 'Median income')}
            {analysis.groups.map((grp, k) => header(`g${k}`, grp.key.toUpperCase()))}
            {pointColumns.map((c) => header(c.key as SortKey, c.category))}
          </tr>
        </thead>
        <tbody>
          {rows.padTop > 0 && (
            <tr aria-hidden="true" style={{ height: rows.padTop }}>
              <td colSpan={columns} />
            </tr>
          )}
          {order.slice(rows.start, rows.end).map((i, r) => {
            const id = analysis.geoids[i];
            const hh = analysis.households[i];
            return (
              <tr key={id} aria-rowindex={rows.start + r + 2} aria-selected={id === selected} className={id === selected ? 'selected' : undefined}>
                <td>
                  <input type="checkbox" checked={picked.includes(id)} onChange={() => onTogglePick(id)} aria-label={`Pick tract ${id} for export`} />
                </td>
                <td>
                  <button className="link" onClick={() => onSelect(id)}>
                    {id}
                  </button>
                </td>
                <td>{names.get(id) ?? ''}</td>
                <td>{count(hh)}</td>
                <td>{analysis.classes[i] === 'insufficient' ? '—' : fixed(analysis.entropy[i])}</td>
                <td>{DIVERSITY_CLASS_LABELS[analysis.classes[i]].replace(/ \(.*\)$/, '')}</td>
                <td>{dollars(analysis.medianIncome[i])}</td>
                {analysis.groups.map((grp, k) => (
                  <td key={grp.key}>{hh > 0 ? pct(analysis.groupCounts[i * g + k] / hh) : '—'}</td>
                ))}
                {pointColumns.map((c) => (
                  <td key={c.key} data-column={c.key.slice(2)}>
                    {c.layer.tracts!.byUnit.get(id)?.get(c.category) ?? 0}
                  </td>
                ))}
              </tr>
            );
          })}
          {rows.padBottom > 0 && (
            <tr aria-hidden="true" style={{ height: rows.padBottom }}>
              <td colSpan={columns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});
