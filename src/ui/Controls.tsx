/** The method's settings: year, scheme, AMI, minimum households, and what the map is coloured by. */
import { useEffect, useState } from 'react';
import { periodLabel } from '../core/brackets';
import type { YearAnalysis } from '../core/analyze';
import type { ViewState } from './viewState';
import { colorByParam, schemeCutsParam } from './viewState';
import type { ColorBy } from '../map/colors';
import type { BandScheme } from '../core/bands';
import { DEFAULT_CHANGE_THRESHOLDS } from '../core/change';

function parseCuts(text: string): BandScheme | null {
  const values = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((v) => v.trim());
  if (values.length === 0) return null;
  const isPct = values.every((v) => v.endsWith('%'));
  const numbers = values.map((v) => Number(v.replace(/[%$,]/g, '')));
  if (numbers.some((n) => !Number.isFinite(n) || n <= 0)) return null;
  for (let i = 1; i < numbers.length; i++) if (!(numbers[i] > numbers[i - 1])) return null;
  return isPct ? { kind: 'custom', unit: 'ami', cuts: numbers.map((n) => n / 100) } : { kind: 'custom', unit: 'dollars', cuts: numbers };
}

function YearSelect(props: { label: string; testId: string; value: number | ''; years: readonly number[]; onPick: (year: number) => void }) {
  return (
    <label>
      {props.label}
      <select value={props.value} data-testid={props.testId} onChange={(e) => props.onPick(Number(e.target.value))}>
        {props.years.map((y) => (
          <option key={y} value={y}>
            {periodLabel(y)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A number input that keeps what is typed and reports only acceptable values. */
function NumberField(props: { label: string; testId: string; min: number; step: number; text: string; setText: (t: string) => void; accept: (n: number) => boolean; onValue: (n: number) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        step={props.step}
        value={props.text}
        data-testid={props.testId}
        aria-invalid={props.text !== '' && !props.accept(Number(props.text))}
        onChange={(e) => {
          props.setText(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value !== '' && props.accept(n)) props.onValue(n);
        }}
      />
    </label>
  );
}

/** The change flags' thresholds (METHOD §5), adjustable; defaults from DEFAULT_CHANGE_THRESHOLDS. */
function ThresholdControls({ state, onChange }: { state: ViewState; onChange: (patch: Partial<ViewState>) => void }) {
  const t = { ...DEFAULT_CHANGE_THRESHOLDS, ...state.thresholds };
  const [growth, setGrowth] = useState(String(Math.round(t.minRealGrowth * 100)));
  const [drop, setDrop] = useState(String(Math.round(t.maxLowIncomeShareDrop * 100)));
  const set = (patch: ViewState['thresholds']) => onChange({ thresholds: { ...state.thresholds, ...patch } });
  return (
    <details className="thresholds" data-testid="thresholds">
      <summary>Flag thresholds</summary>
      <NumberField label="Income upgrading: real median growth at least (%)" testId="min-growth" min={-100} step={1} text={growth} setText={setGrowth} accept={(n) => n > -100} onValue={(n) => set({ minRealGrowth: n / 100 })} />
      <label>
        Faster than the region means above
        <select value={t.regionGrowth} data-testid="region-growth" onChange={(e) => set({ regionGrowth: e.target.value as 'ami' | 'tract-median' })}>
          <option value="ami">the AMI's real growth</option>
          <option value="tract-median">the median tract's real growth</option>
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={t.requireLowIncomeLoss} data-testid="require-li-loss" onChange={(e) => set({ requireLowIncomeLoss: e.target.checked })} />
        Upgrading also needs fewer low-income households (UDP)
      </label>
      <NumberField label="Stable mixed: share below 80% AMI may fall by at most (points)" testId="max-li-drop" min={0} step={1} text={drop} setText={setDrop} accept={(n) => n >= 0} onValue={(n) => set({ maxLowIncomeShareDrop: n / 100 })} />
      <label className="checkbox">
        <input type="checkbox" checked={t.excludeBoundaryChanged} data-testid="exclude-bc" onChange={(e) => set({ excludeBoundaryChanged: e.target.checked })} />
        No flag for tracts whose boundary changed
      </label>
    </details>
  );
}

/** "High-moderate income (100–120% AMI)" → "HMI 100–120% AMI"; labels without a bracket stay as they are. */
function shortGroupLabel(g: { key: string; label: string }): string {
  const inner = /\(([^)]*)\)$/.exec(g.label);
  return inner && /^[a-z]+$/.test(g.key) ? `${g.key.toUpperCase()} ${inner[1]}` : g.label;
}

export function Controls(props: {
  state: ViewState;
  years: readonly number[];
  analysis: YearAnalysis | null;
  definitionAvailable?: boolean;
  udpAvailable?: boolean;
  onChange: (patch: Partial<ViewState>) => void;
}) {
  const { state, years, analysis, definitionAvailable, udpAvailable, onChange } = props;
  const [cutsText, setCutsText] = useState(() =>
    state.scheme.kind === 'custom' ? state.scheme.cuts.map((c) => (state.scheme.kind === 'custom' && state.scheme.unit === 'ami' ? `${+(c * 100).toFixed(2)}%` : String(c))).join(', ') : '50%, 80%, 120%',
  );
  const [amiText, setAmiText] = useState(state.ami.kind === 'typed' ? String(state.ami.dollars) : analysis ? String(Math.round(analysis.ami.dollars)) : '');
  const [minText, setMinText] = useState(String(state.minHouseholds));
  useEffect(() => setMinText(String(state.minHouseholds)), [state.minHouseholds]);
  const cutsScheme = parseCuts(cutsText);

  const change = state.mode === 'change';
  const colorByOptions: { value: string; label: string }[] = change
    ? [
        { value: 'delta-entropy', label: 'Change of H (ΔH)' },
        { value: 'transition', label: 'Class transition' },
        { value: 'delta-low-income', label: 'Change of the share below 80% AMI' },
        { value: 'real-growth', label: 'Real median income growth' },
      ]
    : [
        { value: 'class', label: 'Diversity class' },
        { value: 'entropy', label: 'Entropy index H' },
        { value: 'median-ami', label: 'Median income ÷ AMI' },
        // Short enough for the select: "Share: HMI 100–120% AMI" (the legend gives the full name).
        ...(analysis?.groups ?? []).map((g, i) => ({ value: `share${i}`, label: `Share: ${shortGroupLabel(g)}` })),
      ];
  const from = state.from ?? years[0];
  const to = state.to ?? years[years.length - 1];
  const setColorBy = (value: string) => {
    const share = /^share(\d+)$/.exec(value);
    const c: ColorBy = share ? { kind: 'share', group: Number(share[1]) } : (({ kind: value }) as ColorBy);
    onChange({ colorBy: c });
  };

  return (
    <form className="controls" aria-label="Method settings" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="mode">
        <legend>View</legend>
        <div role="radiogroup" aria-label="View" className="segmented">
          <label>
            <input type="radio" name="mode" value="year" checked={!change} data-testid="mode-year" onChange={() => onChange({ mode: 'year', colorBy: { kind: 'class' } })} />
            One year
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              value="change"
              checked={change}
              disabled={years.length < 2}
              aria-describedby={years.length < 2 ? 'change-disabled-reason' : undefined}
              data-testid="mode-change"
              onChange={() => onChange({ mode: 'change', colorBy: { kind: 'delta-entropy' }, from, to })}
            />
            Change between years
          </label>
        </div>
        {years.length < 2 && (
          <small id="change-disabled-reason" data-testid="change-disabled-reason">
            Needs two years; this dataset has {years.length === 1 ? `one (${periodLabel(years[0])})` : 'none yet'}. Add years with “Add a place…” or open more income files.
          </small>
        )}
      </fieldset>
      {change ? (
        <div className="year-pair">
          <YearSelect label="Year A" testId="from-year" value={from} years={years.filter((y) => y < to)} onPick={(y) => onChange({ from: y })} />
          <YearSelect label="Year B" testId="to-year" value={to} years={years.filter((y) => y > from)} onPick={(y) => onChange({ to: y })} />
        </div>
      ) : (
        <YearSelect label="Year" testId="year" value={state.year ?? ''} years={years} onPick={(y) => onChange({ year: y })} />
      )}
      <label>
        Colour by
        <select value={colorByParam(state.colorBy)} onChange={(e) => setColorBy(e.target.value)} data-testid="color-by">
          {colorByOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Income groups
        <select
          value={state.scheme.kind}
          data-testid="scheme"
          onChange={(e) => {
            const kind = e.target.value;
            const colorBy = state.colorBy.kind === 'share' ? ({ kind: 'class' } as ColorBy) : state.colorBy;
            if (kind === 'custom') onChange({ scheme: cutsScheme ?? { kind: 'custom', unit: 'ami', cuts: [0.5, 0.8, 1.2] }, colorBy });
            else onChange({ scheme: { kind: kind as 'ami6' | 'quintile5' }, colorBy });
          }}
        >
          <option value="ami6">Six AMI groups (Galster et al.)</option>
          <option value="quintile5">Dollar quintiles (Turner &amp; Fenderson)</option>
          <option value="custom">Custom cut points</option>
        </select>
      </label>
      {state.scheme.kind === 'custom' && (
        <label>
          Cut points (% of AMI, or dollars)
          <input
            value={cutsText}
            aria-invalid={cutsScheme === null}
            aria-describedby="cuts-help"
            data-testid="cuts"
            onChange={(e) => {
              setCutsText(e.target.value);
              const s = parseCuts(e.target.value);
              if (s && schemeCutsParam(s) !== schemeCutsParam(state.scheme)) onChange({ scheme: s, colorBy: state.colorBy.kind === 'share' ? { kind: 'class' } : state.colorBy });
            }}
          />
          <small id="cuts-help">{cutsScheme ? 'e.g. 50%, 80%, 120% or 25000, 60000' : 'Ascending positive numbers, all with % or none.'}</small>
        </label>
      )}
      <fieldset>
        <legend>Area median income (AMI)</legend>
        <select
          aria-label="AMI kind"
          data-testid="ami-kind"
          value={state.ami.kind}
          onChange={(e) => {
            const kind = e.target.value;
            if (kind === 'typed') {
              const d = Number(amiText) || Math.round(analysis?.ami.dollars ?? 60000);
              setAmiText(String(d));
              onChange({ ami: { kind: 'typed', dollars: d, source: 'typed by the user' } });
            } else onChange({ ami: { kind: kind as 'auto' | 'tract-median' } });
          }}
        >
          <option value="auto">Median of pooled brackets</option>
          <option value="tract-median">Median of tract medians (UDP)</option>
          <option value="typed">Typed value</option>
        </select>
        {state.ami.kind === 'typed' && (
          <NumberField label="AMI in dollars" testId="ami-dollars" min={1} step={100} text={amiText} setText={setAmiText} accept={(d) => d > 0} onValue={(d) => onChange({ ami: { kind: 'typed', dollars: d, source: 'typed by the user' } })} />
        )}
      </fieldset>
      {change && (
        <label>
          Also outline a fuller definition
          <select
            value={(state.definition === 'udp' ? udpAvailable : definitionAvailable) ? state.definition : 'none'}
            disabled={!definitionAvailable && !udpAvailable}
            data-testid="definition"
            aria-describedby="definition-help"
            onChange={(e) => onChange({ definition: e.target.value as ViewState['definition'] })}
          >
            <option value="none">None</option>
            <option value="governing" disabled={!definitionAvailable}>Governing 2015</option>
            <option value="ncrc" disabled={!definitionAvailable}>NCRC 2019</option>
            <option value="udp" disabled={!udpAvailable}>UDP typology (2000–2018)</option>
          </select>
          <small id="definition-help">
            {definitionAvailable ? 'Governing/NCRC: percentiles over the tracts loaded. ' : 'Governing/NCRC need home value, education and population for both years (UDP/LTDB files have them). '}
            {udpAvailable ? 'UDP: computed from the raw files opened.' : 'UDP: open its census_summ_2018, census_00_10 (and 90_10) files with the boundaries and <City>_typology_output.csv, and compare 2000 with 2018.'}
          </small>
        </label>
      )}
      {change && <ThresholdControls state={state} onChange={onChange} />}
      {change && (
        <label className="checkbox">
          <input type="checkbox" checked={state.lenient} data-testid="lenient" onChange={(e) => onChange({ lenient: e.target.checked })} />
          Stable mixed-income: count Moderate diversity as mixed (lenient)
        </label>
      )}
      <NumberField label="Minimum households" testId="min-households" min={0} step={10} text={minText} setText={setMinText} accept={(n) => n >= 0} onValue={(n) => onChange({ minHouseholds: n })} />
    </form>
  );
}
