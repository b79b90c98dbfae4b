/**
 * Input errors a planner can act on: which file, which row or feature, which column, what was
 * expected, what to do (STYLE.md §6). The CLI prints `message` alone, never a stack trace.
 */
export interface InputProblem {
  /** File name as the user gave it. */
  readonly file: string;
  /** 1-based line number in the file (header lines count), or feature number for boundaries. */
  readonly row?: number;
  /** `row` counts lines of a text file or features of a boundary file. */
  readonly rowKind?: 'line' | 'feature' | 'record';
  readonly column?: string;
  /** What is wrong, with the offending value. */
  readonly problem: string;
  /** What was expected instead. */
  readonly expected?: string;
  /** What the user can do about it. */
  readonly action?: string;
}

export function formatProblem(p: InputProblem): string {
  const where = [p.file];
  if (p.row !== undefined) where.push(`${p.rowKind ?? 'line'} ${p.row}`);
  if (p.column !== undefined) where.push(`column "${p.column}"`);
  let text = `${where.join(', ')}: ${p.problem}`;
  if (p.expected) text += `; expected ${p.expected}`;
  text += '.';
  if (p.action) text += ` ${p.action}`;
  return text;
}

/** A file that cannot be used as a whole. */
export class InputError extends Error {
  readonly problem: InputProblem;
  constructor(problem: InputProblem) {
    super(formatProblem(problem));
    this.name = 'InputError';
    this.problem = problem;
  }
}

/** A row or feature that cannot be used: kept out of the analysis, listed in the report. */
export interface RejectedRow {
  readonly row: number;
  readonly geoid?: string;
  readonly column?: string;
  readonly reason: string;
}
