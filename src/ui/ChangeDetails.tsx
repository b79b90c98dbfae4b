/** A tract's change between two years, with each flag's criteria as a pass/fail checklist. */
import { periodLabel } from '../core/brackets';
import { CRITERIA, type ChangeAnalysis, type CriterionId, type TractChange } from '../core/change';
import { DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { CLASS_COLORS, DEFINITION_STYLE, FLAG_STYLES } from '../map/colors';
import { DEFINITION_CRITERIA, type DefinitionId, type DefinitionResult } from '../core/definitions';
import { UDP_TYPOLOGY_LABELS, type UdpCriterion, type UdpTractResult } from '../core/udp';
import { count, fixed, pct } from './format';

const FLAG_CRITERIA: Record<keyof typeof FLAG_STYLES, CriterionId[]> = {
  stable_mixed: ['sm_class_all_years', 'sm_low_income_share_kept', 'sm_not_upgrading', 'sm_enough_households'],
  income_upgrading: ['iu_eligible_low_median', 'iu_real_growth', 'iu_faster_than_region', 'iu_low_income_share_fell', 'iu_low_income_loss', 'iu_enough_households'],
  transitional: ['tr_mixed_now', 'tr_upgrading'],
};

/** Criteria that decide a flag under the current thresholds (the others are shown for information). */
function required(change: ChangeAnalysis, id: CriterionId): boolean {
  if (id === 'iu_low_income_loss') return change.thresholds.requireLowIncomeLoss;
  return true;
}

function label(change: ChangeAnalysis, id: CriterionId): string {
  const t = change.thresholds;
  const text = CRITERIA[id].replace(/^[^:]+: /, '').replace(/ \(required only[^)]*\)$/, '');
  if (id === 'iu_real_growth') return `real median income growth ≥ ${Math.round(t.minRealGrowth * 100)}%`;
  if (id === 'iu_faster_than_region') return `growth faster than the region's (${pct(change.regionGrowth)})`;
  if (id === 'sm_class_all_years') return t.stableClass === 'high' ? 'High diversity in both years' : 'Moderate or High diversity in both years';
  if (id === 'sm_low_income_share_kept') return `share below 80% AMI not down more than ${Math.round(t.maxLowIncomeShareDrop * 100)} points`;
  return text;
}

export function Checklist({ change, tract }: { change: ChangeAnalysis; tract: TractChange }) {
  return (
    <div className="checklists">
      {(Object.keys(FLAG_CRITERIA) as (keyof typeof FLAG_STYLES)[]).map((flag) => (
        <section key={flag} className="checklist" data-flag={flag} data-value={tract.flags[flag] ? 1 : 0}>
          <h4>
            <span className="flag-swatch" style={{ borderColor: FLAG_STYLES[flag].color, borderStyle: flag === 'stable_mixed' ? 'solid' : flag === 'income_upgrading' ? 'dashed' : 'dotted' }} />
            {FLAG_STYLES[flag].label}: <strong>{tract.flags[flag] ? 'yes' : 'no'}</strong>
          </h4>
          <ul>
            {FLAG_CRITERIA[flag].map((id) => (
              <li key={id} data-criterion={id} data-pass={tract.criteria[id] ? 1 : 0} className={required(change, id) ? undefined : 'info'}>
                <span aria-hidden="true">{tract.criteria[id] ? '✓' : '✗'}</span> <span className="sr-only">{tract.criteria[id] ? 'passes' : 'fails'}:</span> {label(change, id)}
                {required(change, id) ? '' : ' (not required)'}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {tract.boundaryChanged && <p className="note">Boundary changed between the vintages (largest source weight &lt; {change.thresholds.boundaryChangedWeight}); counts were moved by weights.</p>}
      {tract.notCalled.map((n) => (
        <p key={n} className="note">
          Not called: {n}.
        </p>
      ))}
    </div>
  );
}

export function DefinitionChecklist({ id, result }: { id: DefinitionId; result: DefinitionResult }) {
  const labels = DEFINITION_CRITERIA[id];
  return (
    <section className="checklist" data-definition={id} data-value={result.gentrified ? 1 : 0}>
      <h4>
        <span className="flag-swatch" style={{ borderColor: DEFINITION_STYLE.color, borderStyle: 'dashed' }} />
        {id === 'governing' ? 'Governing 2015' : 'NCRC 2019'}: <strong>{result.gentrified ? 'gentrified' : result.eligible ? 'eligible, not gentrified' : 'not eligible'}</strong>
      </h4>
      <ul>
        {Object.entries(result.criteria).map(([c, pass]) => (
          <li key={c} data-criterion={c} data-pass={pass ? 1 : 0}>
            <span aria-hidden="true">{pass ? '✓' : '✗'}</span> <span className="sr-only">{pass ? 'passes' : 'fails'}:</span> {labels[c] ?? c}
          </li>
        ))}
      </ul>
      {result.missing.length > 0 && <p className="note">Missing: {result.missing.join(', ')}.</p>}
    </section>
  );
}

/** The tract's UDP class and why: its flags' criteria and those of its class (UDP's code, see UDP_QUIRKS). */
export function UdpChecklist({ result }: { result: UdpTractResult }) {
  const code = result.udp_typology_code;
  const lists: [string, readonly UdpCriterion[]][] = [
    ['Vulnerable to gentrification, 2018', result.checklist.vul_gent_18],
    ['Gentrified 2000–2018', result.checklist.gent_00_18],
    ['Lost low-income households, 2018', result.checklist.lostli_18],
    ...(code !== 'unavailable' ? ([[`${UDP_TYPOLOGY_LABELS[code]} (${code})`, result.checklist[code]]] as [string, readonly UdpCriterion[]][]) : []),
  ];
  return (
    <section className="checklist" data-definition="udp" data-typology={code}>
      <h4>
        <span className="flag-swatch" style={{ borderColor: DEFINITION_STYLE.color, borderStyle: 'dashed' }} />
        UDP typology: <strong>{result.udp_typology}</strong>
      </h4>
      {lists.map(([title, list]) => (
        <div key={title}>
          <p className="checklist-title">{title}</p>
          <ul>
            {list.map((c) => (
              <li key={c.id} data-criterion={c.id} data-pass={c.pass === null ? '' : c.pass ? 1 : 0}>
                <span aria-hidden="true">{c.pass === null ? '?' : c.pass ? '✓' : '✗'}</span>{' '}
                <span className="sr-only">{c.pass === null ? 'no data' : c.pass ? 'passes' : 'fails'}:</span> {c.label} {c.detail ? <span className="detail">({c.detail})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

export function ChangeDetails(props: {
  change: ChangeAnalysis;
  tract: TractChange;
  name?: string;
  compact?: boolean;
  definition?: DefinitionResult;
  definitionId?: 'none' | DefinitionId | 'udp';
  udp?: UdpTractResult;
}) {
  const { change, tract, name, compact = false, definition, definitionId, udp } = props;
  const [y0, y1] = [periodLabel(change.from.year), periodLabel(change.to.year)];
  const flags = (Object.keys(FLAG_STYLES) as (keyof typeof FLAG_STYLES)[]).filter((f) => tract.flags[f]);
  return (
    <div className="tract-details change-details">
      <div className="tract-title">
        <strong>{name ? (/^\d+(\.\d+)?$/.test(name) ? `Census Tract ${name}` : name) : `Tract ${tract.geoid}`}</strong>
        <span className="geoid">GEOID {tract.geoid}</span>
      </div>
      <table className="change-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{y0}</th>
            <th scope="col">{y1}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Households</th>
            <td>{count(tract.households[0])}</td>
            <td>{count(tract.households[1])}</td>
          </tr>
          <tr>
            <th scope="row">Class</th>
            {tract.classes.map((c, i) => (
              <td key={i}>
                <span className="swatch" style={{ background: CLASS_COLORS[c] }} />
                {DIVERSITY_CLASS_LABELS[c].replace(/ \(.*\)$/, '').replace(' diversity', '')}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Entropy H</th>
            <td>{tract.classes[0] === 'insufficient' ? '—' : fixed(tract.entropy[0])}</td>
            <td>{tract.classes[1] === 'insufficient' ? '—' : fixed(tract.entropy[1])}</td>
          </tr>
          <tr>
            <th scope="row">Median ÷ AMI</th>
            <td>{pct(tract.medianAmi[0], 0)}</td>
            <td>{pct(tract.medianAmi[1], 0)}</td>
          </tr>
          <tr>
            <th scope="row">Below 80% AMI</th>
            <td>{pct(tract.lowIncomeShare[0])}</td>
            <td>{pct(tract.lowIncomeShare[1])}</td>
          </tr>
        </tbody>
      </table>
      <dl>
        <dt>ΔH</dt>
        <dd>{Number.isFinite(tract.deltaEntropy) ? (tract.deltaEntropy >= 0 ? '+' : '') + fixed(tract.deltaEntropy) : '—'}</dd>
        <dt>Real median income growth</dt>
        <dd>{pct(tract.realMedianGrowth)}</dd>
        <dt>Flags</dt>
        <dd>{flags.length ? flags.map((f) => FLAG_STYLES[f].label).join(', ') : 'none'}</dd>
      </dl>
      {!compact && <Checklist change={change} tract={tract} />}
      {!compact && definition && definitionId && definitionId !== 'none' && definitionId !== 'udp' && <DefinitionChecklist id={definitionId} result={definition} />}
      {!compact && udp && definitionId === 'udp' && <UdpChecklist result={udp} />}
    </div>
  );
}
