/** The change view as a sortable table: every tract's change figures and flags (rows in view only, when large). */
import { periodLabel } from '../core/brackets';
import { memo, useMemo, useRef, useState } from 'react';
import { useRowWindow } from './windowedRows';
import type { ChangeAnalysis, TractChange } from '../core/change';
import { fixed, pct } from './format';
import { layerCategories, type LayerCounts } from '../data/layerCounts';

type Column = { key: string; label: string; value: (t: TractChange) => number | string; show: (t: TractChange) => string };

export const ChangeTable = memo(function ChangeTable(props: {
  change: ChangeAnalysis;
  names: ReadonlyMap<string, string>;
  /** Show only these tracts (the selection), or all. */
  only?: ReadonlySet<string> | null;
  selected: string | null;
  onSelect: (geoid: string) => void;
  picked: readonly string[];
  onTogglePick: (geoid: string) => void;
  /** Issue 12: community assets per tract, one column per layer category (`NAME_<category>`), as in the year's table. */
  pointCounts?: readonly LayerCounts[];
}) {
  const { change, names, only, selected, onSelect, picked, onTogglePick, pointCounts } = props;
  const [y0, y1] = [periodLabel(change.from.year), periodLabel(change.to.year)];
  const columns: Column[] = useMemo(
    () => [
      { key: 'geoid', label: 'GEOID', value: (t) => t.geoid, show: (t) => t.geoid },
      { key: 'name', label: 'Name', value: (t) => names.get(t.geoid) ?? '', show: (t) => names.get(t.geoid) ?? '' },
      { key: 'class0', label: `Class ${y0}`, value: (t) => t.classes[0], show: (t) => t.classes[0] },
      { key: 'class1', label: `Class ${y1}`, value: (t) => t.classes[1], show: (t) => t.classes[1] },
      { key: 'dh', label: 'ΔH', value: (t) => (Number.isFinite(t.deltaEntropy) ? t.deltaEntropy : -9), show: (t) => fixed(t.deltaEntropy) },
      { key: 'li', label: 'Δ below 80% AMI', value: (t) => t.lowIncomeShare[1] - t.lowIncomeShare[0], show: (t) => pct(t.lowIncomeShare[1] - t.lowIncomeShare[0]) },
      { key: 'growth', label: 'Real median growth', value: (t) => (Number.isFinite(t.realMedianGrowth) ? t.realMedianGrowth : -9), show: (t) => pct(t.realMedianGrowth) },
      { key: 'sm', label: 'Stable mixed', value: (t) => +t.flags.stable_mixed, show: (t) => (t.flags.stable_mixed ? 'yes' : '') },
      { key: 'iu', label: 'Upgrading', value: (t) => +t.flags.income_upgrading, show: (t) => (t.flags.income_upgrading ? 'yes' : '') },
      { key: 'tr', label: 'Transitional', value: (t) => +t.flags.transitional, show: (t) => (t.flags.transitional ? 'yes' : '') },
      { key: 'bc', label: 'Boundary changed', value: (t) => +t.boundaryChanged, show: (t) => (t.boundaryChanged ? 'yes' : '') },
      ...(pointCounts ?? [])
        .filter((c) => c.tracts)
        .flatMap((c) =>
          layerCategories(c).map((category): Column => {
            const count = (t: TractChange) => c.tracts!.byUnit.get(t.geoid)?.get(category) ?? 0;
            return { key: `p:${c.name}_${category}`, label: category, value: count, show: (t) => String(count(t)) };
          }),
        ),
    ],
    [names, y0, y1, pointCounts],
  );
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: 'iu', dir: -1 });
  const rows = useMemo(() => {
    const col = columns.find((c) => c.key === sort.key) ?? columns[0];
    return change.tracts.filter((t) => !only || only.has(t.geoid)).sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      return (va < vb ? -1 : va > vb ? 1 : 0) * sort.dir;
    });
  }, [change, columns, sort, only]);
  const scroller = useRef<HTMLDivElement>(null);
  const shown = useRowWindow(scroller, rows.length);
  return (
    <div className="table-view" data-testid="change-table" ref={scroller}>
      <table aria-rowcount={rows.length + 1}>
        <caption>
          {rows.length.toLocaleString('en-US')} {only ? 'selected ' : ''}tracts, change {y0} → {y1}
        </caption>
        <thead>
          <tr>
            <th scope="col">Pick</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                <button onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? (-s.dir as 1 | -1) : -1 }))}>
                  {c.label}
                  {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.padTop > 0 && (
            <tr aria-hidden="true" style={{ height: shown.padTop }}>
              <td colSpan={columns.length + 1} />
            </tr>
          )}
          {rows.slice(shown.start, shown.end).map((t, r) => (
            <tr key={t.geoid} aria-rowindex={shown.start + r + 2} aria-selected={t.geoid === selected} className={t.geoid === selected ? 'selected' : undefined}>
              <td>
                <input type="checkbox" checked={picked.includes(t.geoid)} onChange={() => onTogglePick(t.geoid)} aria-label={`Pick tract ${t.geoid} for export`} />
              </td>
              {columns.map((c) => (
                <td key={c.key} data-column={c.key.startsWith('p:') ? c.key.slice(2) : undefined}>
                  {c.key === 'geoid' ? (
                    <button className="link" onClick={() => onSelect(t.geoid)}>
                      {t.geoid}
                    </button>
                  ) : (
                    c.show(t)
                  )}
                </td>
              ))}
            </tr>
          ))}
          {shown.padBottom > 0 && (
            <tr aria-hidden="true" style={{ height: shown.padBottom }}>
              <td colSpan={columns.length + 1} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});
