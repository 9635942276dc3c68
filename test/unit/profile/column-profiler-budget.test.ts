import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ColumnProfiler, PROFILE_MEMORY_BUDGET } from '../../../src/profile/column-profiler.js';
import { counterSizeFor, EXACT_LIMIT, SKETCH_PRECISION } from '../../../src/profile/unique-counter.js';

describe('the profiler memory budget', () => {
  it('gives narrow files full counters and wide ones a share', () => {
    expect(counterSizeFor(PROFILE_MEMORY_BUDGET / 20)).toEqual({ exactLimit: EXACT_LIMIT, precision: SKETCH_PRECISION });
    // 67 kB a column: a 2^16-register sketch with its pending hashes (72 KiB) would not fit.
    expect(counterSizeFor(PROFILE_MEMORY_BUDGET / 1000)).toEqual({ exactLimit: Math.floor(PROFILE_MEMORY_BUDGET / 1000 / 16), precision: 15 });
  });

  it('keeps 1000 columns of distinct values within the budget, counts within 2%', () => {
    const columns = Array.from({ length: 1000 }, (_, c) => `c${c}`);
    const profiler = new ColumnProfiler(columns);
    // What the counters retain, so the garbage of a switch to an estimate is collected first.
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    const rows = 5000;
    for (let r = 0; r < rows; r++) profiler.add(columns.map((_, c) => `v${r}x${c}`));
    gc();
    const after = process.memoryUsage();
    // The counters are typed arrays: without the budget, 1000 sets of 5000 hashes are 128 MiB.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(PROFILE_MEMORY_BUDGET * 1.5);
    const summary = profiler.result();
    expect(summary.c0!.uniqueEstimated).toBe(true);
    expect(Math.abs(summary.c999!.unique - rows) / rows).toBeLessThan(0.02);
  }, 40_000);
});
