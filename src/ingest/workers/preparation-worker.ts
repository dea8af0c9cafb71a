import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer } from '../../search/analysis/create-analyzer.js';
import { IpadicViterbi } from '../../search/analysis/ipadic-viterbi.js';
import { prepareFile, prepareText } from '../pipeline/prepare-document.js';
import type {
  PreparationReply,
  PreparationSetup,
  PreparationTask,
  PreparationWorkerData,
} from './preparation-messages.js';

/**
 * One preparation thread: receives the process's dictionary (shared memory, nothing to load),
 * then parses, chunks and analyses the pool's tasks one at a time, in the order sent
 * (preparation-pool.ts).
 */
const port = parentPort!;
const { limits } = workerData as PreparationWorkerData;
const setup = await new Promise<PreparationSetup>((resolve) => port.once('message', resolve));
const analyzer = await createAnalyzer({ tokenizer: new IpadicViterbi(setup.dictionary) });

// One task at a time, in the order sent: the pool may send the next before this one is done, and
// times each task from when the one before it answered.
let previous: Promise<void> = Promise.resolve();
port.on('message', (task: PreparationTask) => {
  previous = previous
    .then(async () => {
      try {
        port.postMessage(await handle(task));
      } catch (error) {
        port.postMessage({
          id: task.id,
          kind: 'error',
          message: (error as Error).message || String(error),
        } satisfies PreparationReply);
      }
    })
    // A reply that cannot be sent at all must not stop the tasks after it: the pool's budget
    // stops this thread for the unanswered one.
    .catch(() => undefined);
});
port.postMessage('ready');

async function handle(task: PreparationTask): Promise<PreparationReply> {
  if (task.kind === 'text')
    return { id: task.id, kind: 'text', result: prepareText(task.text, analyzer, task.heading) };
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  return { id: task.id, kind: 'file', result: await prepareFile(bytes, task.fileName, analyzer, limits) };
}
