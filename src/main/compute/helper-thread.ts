import { parentPort } from 'node:worker_threads';
import { buildCatalogContext } from '../generate/kernels';
import { ContextCache, fillNormals, runSharedTask, type HelperReply, type HelperRequest } from './shared-work';

/**
 * The compute process's helper thread: pure JavaScript (never TensorFlow.js), it takes the
 * batches of shared work it can claim first (see shared-work.ts) and posts their results.
 */

const port = parentPort;
if (!port) throw new Error('the compute helper must run in a worker thread');
const contexts = new ContextCache();

port.on('message', (message: HelperRequest) => {
  if (message.type === 'context') {
    contexts.set(message.key, buildCatalogContext(message.spec));
    return;
  }
  if (message.type === 'scorer') {
    contexts.setScorer(message.key, message.spec);
    return;
  }
  if (message.type === 'normals') {
    fillNormals(message.fill);
    return;
  }
  const { job, batch, flags } = message;
  const count = flags.length - 1;
  // Skip a cancelled job, and batches the main thread has already claimed.
  if (Atomics.load(flags, count) !== 0 || Atomics.compareExchange(flags, batch, 0, 2) !== 0) {
    port.postMessage({ type: 'skipped', job, batch } satisfies HelperReply);
    return;
  }
  const started = performance.now();
  try {
    const result = runSharedTask(message.task, contexts);
    port.postMessage({ type: 'done', job, batch, result, ms: performance.now() - started } satisfies HelperReply);
  } catch (error) {
    port.postMessage({ type: 'failed', job, batch, message: (error as Error).message } satisfies HelperReply);
  }
});

port.postMessage({ type: 'ready' } satisfies HelperReply);
