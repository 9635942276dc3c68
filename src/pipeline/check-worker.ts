// The checking thread (see check-thread.ts): maps, validates and normalizes the packed batches
// it is sent, in order, and answers each (dedupe stays with the caller, which sees every row).
import { parentPort, workerData } from 'node:worker_threads';
import type { MappingPlan } from '../contacts/compile-mapping.js';
import { checkedBatch, unpackRecords, withoutFields, type PackedRecords } from './check-batch.js';
import { checkRecord } from './check-record.js';
import type { CheckAnswer, CheckWorkerData } from './check-thread.js';

const { setup, answers, answered } = workerData as CheckWorkerData;
// checkRecord reads only the entries of a plan; the mapping itself stays with the caller.
const plan: MappingPlan = { mapping: Object.create(null), entries: setup.entries };

parentPort?.on('message', (packed: PackedRecords) => {
  let answer: CheckAnswer;
  try {
    const checked = unpackRecords(packed, setup.entries).map((record) => checkRecord(record, plan, setup.rules));
    answer = checkedBatch(checked, setup.needs);
    if (setup.needs === 'results') answer.checked = checked.map(withoutFields);
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  answers.postMessage(answer);
  Atomics.add(answered, 0, 1);
  Atomics.notify(answered, 0);
});
