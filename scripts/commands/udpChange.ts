/** UDP typology columns for `tractmix change --definition udp` (filled in when the UDP module lands). */
import type { ChangeAnalysis } from '../../src/core/change';
import type { Dataset } from '../../src/data/dataset';
import type { ExtraColumnsBlock } from '../../src/data/changeExport';
import type { ChangeArgs } from './change';
import { UsageError } from '../lib/args';

export async function udpBlock(_values: ChangeArgs, _dataset: Dataset, _change: ChangeAnalysis): Promise<ExtraColumnsBlock> {
  throw new UsageError('--definition udp is not available yet');
}
