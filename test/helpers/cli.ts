/** The tractmix CLI run in-process (scripts/tractmix.ts `tractmix`), its output captured. */
import { tractmix } from '../../scripts/tractmix';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await tractmix(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
