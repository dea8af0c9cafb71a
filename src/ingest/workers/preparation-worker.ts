import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer } from '../../search/analysis/create-analyzer.js';
import { prepareFile, prepareText } from '../pipeline/prepare-document.js';
import type { PreparationReply, PreparationTask, PreparationWorkerData } from './preparation-messages.js';

/**
 * One preparation thread: loads the Japanese dictionary once (~1 s, ~250 MB), then parses, chunks
 * and analyses one task at a time for the pool (preparation-pool.ts).
 */
const port = parentPort!;
const { limits } = workerData as PreparationWorkerData;
const analyzer = await createAnalyzer();

port.on('message', (task: PreparationTask) => {
  void handle(task).then(
    (reply) => port.postMessage(reply),
    (error: unknown) =>
      port.postMessage({
        id: task.id,
        kind: 'error',
        message: (error as Error).message || String(error),
      } satisfies PreparationReply),
  );
});
port.postMessage('ready');

async function handle(task: PreparationTask): Promise<PreparationReply> {
  if (task.kind === 'text')
    return { id: task.id, kind: 'text', result: prepareText(task.text, analyzer, task.heading) };
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  return { id: task.id, kind: 'file', result: await prepareFile(bytes, task.fileName, analyzer, limits) };
}
