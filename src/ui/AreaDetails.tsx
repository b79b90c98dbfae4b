/**
 * An area of the user's layer (issue 12): its figures pooled from its tracts (never averaged), the
 * uncertainty where the data have MOEs, in the change view its ΔH and flags, the tracts it counts
 * and how much of each, and its community assets by category. Also the point counts of a tract,
 * and the hover cards of an area and a point.
 */
import { usePanelKeys } from './usePanelKeys';
import { periodLabel } from '../core/brackets';
import type { YearAnalysis } from '../core/analyze';
import { DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { pointColumns } from '../core/pointColumns';
import { AREA_RULE_WORDS } from '../core/areaRules';
import type { LayerCounts } from '../data/layerCounts';
import { layerCategories } from '../data/layerCounts';
import { CLASS_COLORS } from '../map/colors';
import { categoryColor, categoryKey, type PointCategory } from '../map/layerStyle';
import type { HoveredPoint } from '../map/pointsLayer';
import { ChangeDetails } from './ChangeDetails';
import { count, dollars, fixed, pct } from './format';
import { UncertaintyView } from './SidePanel';
import { CompositionBar, GroupShares } from './TractDetails';
import type { AreaFigures } from './useLayers';

/** The figures of one unit of an analysis (an area), as the tract card shows a tract's. */
export function AreaFiguresView({ analysis, index, name, compact = false }: { analysis: YearAnalysis; index: number; name: string; compact?: boolean }) {
  const cls = analysis.classes[index];
  const med = analysis.medianIncome[index];
  return (
    <div className="tract-details area-details">
      <div className="tract-title">
        <strong data-testid="area-name">{name}</strong>
        <span className="geoid">area of your layer, {periodLabel(analysis.year)}</span>
      </div>
      <dl>
        <dt>Households</dt>
        <dd data-testid="area-households">{count(analysis.households[index])}</dd>
        <dt>Diversity class</dt>
        <dd data-testid="area-class">
          <span className="swatch" style={{ background: CLASS_COLORS[cls] }} /> {DIVERSITY_CLASS_LABELS[cls]}
          {cls === 'insufficient' ? ` (< ${analysis.minHouseholds} households)` : ''}
        </dd>
        <dt>Entropy index H</dt>
        <dd data-testid="area-entropy">{cls === 'insufficient' ? '—' : fixed(analysis.entropy[index], 3)}</dd>
        <dt>Median income</dt>
        <dd>
          {dollars(med)} {Number.isFinite(med) ? `(${pct(med / analysis.ami.dollars, 0)} of AMI)` : ''}
        </dd>
      </dl>
      <CompositionBar analysis={analysis} index={index} />
      {!compact && (
        <GroupShares analysis={analysis} index={index} />
      )}
    </div>
  );
}

/** Counts of each point layer's categories in one unit (a tract or an area). */
export function PointCountsView({ counts, unit, which, categories }: { counts: readonly LayerCounts[]; unit: string; which: 'tracts' | 'areas'; categories: readonly PointCategory[] }) {
  const shown = counts.filter((c) => (which === 'tracts' ? c.tracts : c.areas));
  if (!shown.length) return null;
  return (
    <section className="point-counts" data-testid={`point-counts-${which}`}>
      <h3>Community assets {which === 'tracts' ? 'in this tract' : 'in this area'}</h3>
      <table>
        <tbody>
          {shown.flatMap((c) => {
            const byUnit = (which === 'tracts' ? c.tracts : c.areas)!.byUnit.get(unit);
            const cats = layerCategories(c);
            const columns = pointColumns(c.name, cats);
            return cats.map((cat, i) => {
              const color = categories.find((k) => categoryKey(k.layer, k.category) === categoryKey(c.name, cat))?.colorIndex ?? 0;
              return (
                <tr key={columns[i + 1]} data-testid="point-count-row" data-column={columns[i + 1]}>
                  <th scope="row">
                    <span className="dot" style={{ background: categoryColor(color) }} aria-hidden="true" /> {cat}
                    {shown.length > 1 ? ` (${c.name})` : ''}
                  </th>
                  <td>{byUnit?.get(cat) ?? 0}</td>
                </tr>
              );
            });
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The side panel of an area. Escape closes it. */
export function AreaPanel(props: {
  figures: AreaFigures;
  name: string;
  names: ReadonlyMap<string, string>;
  tractHouseholds: (geoid: string) => number | null;
  counts: readonly LayerCounts[];
  categories: readonly PointCategory[];
  onClose: () => void;
  onTract: (geoid: string) => void;
}) {
  const { figures, name, names, tractHouseholds, counts, categories, onClose, onTract } = props;
  const closeRef = usePanelKeys(onClose, name);
  const a = figures.year.analysis;
  const index = a.geoids.indexOf(name);
  const members = figures.setup.members.get(name) ?? [];
  const changeIndex = figures.change ? figures.change.tracts.findIndex((t) => t.geoid === name) : -1;
  if (index < 0) return null;
  return (
    <aside className="side-panel area-panel" aria-label={`Area ${name}`} data-testid="area-panel">
      <button ref={closeRef} className="close" onClick={onClose} aria-label="Close area panel (Escape)">
        ×
      </button>
      {figures.change && changeIndex >= 0 ? (
        <ChangeDetails change={figures.change} tract={figures.change.tracts[changeIndex]} name={name} />
      ) : (
        <AreaFiguresView analysis={a} index={index} name={name} />
      )}
      {figures.uncertainty && <UncertaintyView value={figures.uncertainty[index]} />}
      <p className="note" data-testid="area-rule">
        Pooled from the bracket counts of its tracts ({AREA_RULE_WORDS[figures.setup.rule]}); the AMI is the region's.
        {figures.setup.ruleNote ? ` ${figures.setup.ruleNote}` : ''}
      </p>
      <PointCountsView counts={counts} unit={name} which="areas" categories={categories} />
      <h3>
        Tracts counted ({members.length}
        {figures.year.missingTracts.length ? `; ${figures.year.missingTracts.length} of the layer's tracts have no income data` : ''})
      </h3>
      <table className="area-members" data-testid="area-members">
        <thead>
          <tr>
            <th scope="col">Tract</th>
            <th scope="col">Share counted</th>
            <th scope="col">Households counted</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const hh = tractHouseholds(m.tract);
            return (
              <tr key={m.tract} data-geoid={m.tract} data-weight={m.weight}>
                <th scope="row">
                  <button className="link" onClick={() => onTract(m.tract)} title={`GEOID ${m.tract}`}>
                    {names.get(m.tract) ?? m.tract}
                  </button>
                </th>
                <td>{pct(m.weight, m.weight > 0.999 ? 0 : 1)}</td>
                <td>{hh === null ? '—' : count(hh * m.weight)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </aside>
  );
}

/** The hover card of an area (the areas-coloured view). */
export function AreaTooltip({ figures, name }: { figures: AreaFigures; name: string }) {
  const index = figures.year.analysis.geoids.indexOf(name);
  if (index < 0) return null;
  const c = figures.change?.tracts.find((t) => t.geoid === name);
  return (
    <div data-testid="area-tooltip">
      <AreaFiguresView analysis={figures.year.analysis} index={index} name={name} compact />
      {c && <p>ΔH {Number.isFinite(c.deltaEntropy) ? (c.deltaEntropy > 0 ? '+' : '') + c.deltaEntropy.toFixed(3) : '—'}{c.flags.transitional ? ' · transitional mix' : c.flags.income_upgrading ? ' · income upgrading' : c.flags.stable_mixed ? ' · stable mixed-income' : ''}</p>}
      <p className="note">{figures.setup.members.get(name)?.length ?? 0} tracts · click for the panel</p>
    </div>
  );
}

export function PointTooltip({ point }: { point: HoveredPoint }) {
  return (
    <div data-testid="point-tooltip">
      <strong>{point.name || '(no name)'}</strong>
      <div>
        {point.category} · layer {point.layer}
      </div>
    </div>
  );
}
