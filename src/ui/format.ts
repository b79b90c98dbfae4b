/** Number formatting for people (en-US). */
export const dollars = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : '$' + Math.round(x).toLocaleString('en-US');
export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : (x * 100).toFixed(digits) + '%';
export const count = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en-US');
export const fixed = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
