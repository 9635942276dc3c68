// The row-counting thread's side (see row-counting-thread.ts): unpacks each batch and counts
// it with the same row loop as on the calling thread, one batch after another, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { CheckedRowCounter, type CheckRules } from './checked-row-counter.js';
import { unpackRecords } from './packed-records.js';
import type { CountingAnswer, CountingMessage } from './row-counting-thread.js';

const rules = workerData as CheckRules;
const width = rules.plan.entries.length;
const counter = new CheckedRowCounter(rules);
const port = parentPort!;
let queue = Promise.resolve();

async function handle(message: CountingMessage): Promise<CountingAnswer> {
  if (message.op === 'finish') return { op: 'counts', counts: counter.counts };
  await counter.add(unpackRecords(message.packed, width));
  return { op: 'counted' };
}

port.on('message', (message: CountingMessage) => {
  queue = queue
    .then(() => handle(message))
    .then(
      (answer) => port.postMessage(answer),
      (error: unknown) => port.postMessage({ op: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies CountingAnswer),
    );
});
