/**
 * One analysis job, as the analysis worker (analysisWorker.ts) runs it, or the main thread when no
 * worker can start (analysisRunner.ts): the uncertainty sample or the UDP typology, reporting what it is doing through `progress`. The result comes back in the shape that
 * crosses to the page cheaply (analysisMessages.ts), with the buffers to move.
 */
import { classUncertainty } from '../core/uncertainty';
import { packUncertainty, type AnalysisJob } from './analysisMessages';

const count = (n: number) => n.toLocaleString('en-US');

export async function runAnalysisJob(job: AnalysisJob, progress: (text: string) => void): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  if (job.kind === 'uncertainty') {
    const n = job.analysis.geoids.length;
    progress(`sampling the margins of error of ${count(n)} tracts`);
    const packed = packUncertainty(classUncertainty(job.snapshot, job.analysis, undefined, undefined, (done) => progress(`sampling the margins of error: ${count(done)} / ${count(n)} tracts`)));
    return { result: packed, transfer: packed ? [packed.values.buffer as ArrayBuffer] : [] };
  }
  progress(`reading UDP's files (${job.files.summary2018.name}, ${job.files.census2000.name})`);
  const [{ readUdpRegion }, { udpTypology }] = await Promise.all([import('../data/udpInputs'), import('../core/udp')]);
  const region = await readUdpRegion(job.files);
  progress(`UDP typology of ${count(region.tracts.length)} tracts`);
  return { result: udpTypology(region.tracts, region.neighbours).tracts, transfer: [] };
}
