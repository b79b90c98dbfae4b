/**
 * Band schemes: the income groups a tract's households are re-banded into (METHOD.md §3).
 */
import { CPI_U_ANNUAL, priceFactor, type PriceIndex } from './cpi';

export interface IncomeGroup {
  /** Column key in exports (`vli`, `q1`, `g1`, …). */
  readonly key: string;
  readonly label: string;
}

export type BandScheme =
  | {
      /** Galster, Booza & Cutsinger (2008), Cityscape 10(2), p. 264: six groups relative to AMI. */
      readonly kind: 'ami6';
    }
  | {
      /** Turner & Fenderson (2006): fixed-dollar quintile cut-offs in 1999 dollars. */
      readonly kind: 'quintile5';
      /** Price index used to move the 1999 cut-offs to the data's income year (default CPI-U). */
      readonly priceIndex?: PriceIndex;
    }
  | {
      readonly kind: 'custom';
      /** Ascending cut points: fractions of AMI (`ami`, e.g. 0.5) or dollars of `dollarYear`. */
      readonly cuts: readonly number[];
      readonly unit: 'ami' | 'dollars';
      readonly dollarYear?: number;
      readonly priceIndex?: PriceIndex;
    };

/** AMI six groups: upper bounds as fractions of AMI (seed 003; Galster et al. 2008, p. 264). */
export const AMI6_CUTS = [0.5, 0.8, 1.0, 1.2, 1.5] as const;
export const AMI6_GROUPS: readonly IncomeGroup[] = [
  { key: 'vli', label: 'Very low income (≤50% AMI)' },
  { key: 'li', label: 'Low income (50–80% AMI)' },
  { key: 'mi', label: 'Moderate income (80–100% AMI)' },
  { key: 'hmi', label: 'High-moderate income (100–120% AMI)' },
  { key: 'hi', label: 'High income (120–150% AMI)' },
  { key: 'vhi', label: 'Very high income (>150% AMI)' },
];

/**
 * Quintile cut-offs in 1999 dollars (Turner & Fenderson 2006, quoted in seed 003: "$19,800,
 * $35,600, $60,600 and $98,200").
 */
export const QUINTILE_CUTS_1999 = [19_800, 35_600, 60_600, 98_200] as const;
export const QUINTILE_DOLLAR_YEAR = 1999;
export const QUINTILE_GROUPS: readonly IncomeGroup[] = [
  { key: 'q1', label: 'Quintile 1 (very low)' },
  { key: 'q2', label: 'Quintile 2 (low)' },
  { key: 'q3', label: 'Quintile 3 (moderate)' },
  { key: 'q4', label: 'Quintile 4 (middle)' },
  { key: 'q5', label: 'Quintile 5 (high)' },
];

function money(d: number): string {
  return '$' + Math.round(d).toLocaleString('en-US');
}

/** The groups of a scheme, lowest income first. */
export function schemeGroups(scheme: BandScheme): readonly IncomeGroup[] {
  switch (scheme.kind) {
    case 'ami6':
      return AMI6_GROUPS;
    case 'quintile5':
      return QUINTILE_GROUPS;
    case 'custom': {
      const c = scheme.cuts;
      const fmt = (x: number) => (scheme.unit === 'ami' ? `${+(x * 100).toFixed(2)}% AMI` : money(x));
      return Array.from({ length: c.length + 1 }, (_, i) => ({
        key: `g${i + 1}`,
        label: i === 0 ? `below ${fmt(c[0])}` : i === c.length ? `${fmt(c[i - 1])} and above` : `${fmt(c[i - 1])}–${fmt(c[i])}`,
      }));
    }
  }
}

/**
 * The scheme's cut points in dollars of the data's income year.
 * @param amiDollars the year's area median income (dollars of `incomeYear`)
 * @param incomeYear the year whose dollars the brackets are in
 */
export function schemeCutsDollars(scheme: BandScheme, amiDollars: number, incomeYear: number): number[] {
  switch (scheme.kind) {
    case 'ami6':
      return AMI6_CUTS.map((f) => f * amiDollars);
    case 'quintile5': {
      const factor = priceFactor(QUINTILE_DOLLAR_YEAR, incomeYear, scheme.priceIndex ?? CPI_U_ANNUAL);
      return QUINTILE_CUTS_1999.map((d) => d * factor);
    }
    case 'custom': {
      if (scheme.cuts.length === 0) throw new RangeError('a custom scheme needs at least one cut point');
      for (let i = 1; i < scheme.cuts.length; i++) {
        if (!(scheme.cuts[i] > scheme.cuts[i - 1])) {
          throw new RangeError(`custom cut points must be strictly ascending; got ${scheme.cuts.join(', ')}`);
        }
      }
      if (scheme.unit === 'ami') return scheme.cuts.map((f) => f * amiDollars);
      const year = scheme.dollarYear ?? incomeYear;
      const factor = priceFactor(year, incomeYear, scheme.priceIndex ?? CPI_U_ANNUAL);
      return scheme.cuts.map((d) => d * factor);
    }
  }
}

/** A one-line description of the scheme for legends and export metadata. */
export function describeScheme(scheme: BandScheme): string {
  switch (scheme.kind) {
    case 'ami6':
      return 'AMI six groups: 50/80/100/120/150% of AMI (Galster, Booza & Cutsinger 2008)';
    case 'quintile5':
      return `fixed-dollar quintiles: ${QUINTILE_CUTS_1999.map(money).join(', ')} in 1999 dollars, moved by ${scheme.priceIndex ? 'a supplied price index' : 'CPI-U'} (Turner & Fenderson 2006)`;
    case 'custom':
      return scheme.unit === 'ami'
        ? `custom cuts at ${scheme.cuts.map((c) => `${+(c * 100).toFixed(2)}%`).join(', ')} of AMI`
        : `custom cuts at ${scheme.cuts.map(money).join(', ')} (${scheme.dollarYear ?? 'income-year'} dollars)`;
  }
}
