import type { ColumnStats } from '../types.js';
import { hash53 } from './hash53.js';
import { TypeTally } from './infer-type.js';
import { counterSizeFor, UniqueCounter } from './unique-counter.js';

const MAX_SAMPLES = 5;
/**
 * What the distinct-value counters of all columns may hold together. Up to 64 columns each
 * gets the full counter (1 MiB); a wider file gives each a share, so exact counts switch to
 * estimates sooner and the sketches are coarser (1000 columns: 4096 exact values, then a
 * 36 KiB sketch with ~0.6% error), but memory stays bounded whatever the width.
 */
export const PROFILE_MEMORY_BUDGET = 64 * 1024 * 1024;
const MAX_SAMPLE_LENGTH = 100;

/** Running statistics for one column. */
interface ColumnState {
  filled: number;
  empty: number;
  unique: UniqueCounter;
  samples: string[];
  types: TypeTally;
}

/**
 * Profiles every column of a file in one pass over its rows, for `analyze`: filled and blank
 * counts, distinct values (exact, or a flagged estimate past 50k), the first distinct samples
 * and the inferred type. Values are compared after trimming. Memory per column is bounded
 * (≤ 50k hashes or a 288 KiB sketch), whatever the row count, and all columns together
 * stay within PROFILE_MEMORY_BUDGET, whatever the width.
 */
export class ColumnProfiler {
  private readonly columns: readonly string[];
  private readonly states: ColumnState[];

  constructor(columns: readonly string[]) {
    this.columns = [...columns];
    const size = counterSizeFor(PROFILE_MEMORY_BUDGET / Math.max(1, columns.length));
    this.states = columns.map(() => ({
      filled: 0,
      empty: 0,
      unique: new UniqueCounter(size),
      samples: [],
      types: new TypeTally(),
    }));
  }

  /** One row's values, aligned to the columns; missing trailing values count as blank. */
  add(values: readonly string[]): void {
    const states = this.states;
    for (let i = 0; i < states.length; i++) {
      const state = states[i] as ColumnState;
      const raw = values[i];
      const value = raw === undefined ? '' : raw.trim();
      if (value === '') {
        state.empty++;
        continue;
      }
      state.filled++;
      // Hashed once, for the type tally's memory and the distinct count alike.
      const hash = hash53(value);
      // A value the type tally remembers is already counted, and already a sample if it is one.
      if (state.types.add(value, hash)) continue;
      state.unique.addHash(hash);
      if (state.samples.length < MAX_SAMPLES) addSample(state.samples, value);
    }
  }

  /** Stats keyed by column name, in a prototype-less object (a header may be "__proto__"). */
  result(): Record<string, ColumnStats> {
    const summary: Record<string, ColumnStats> = Object.create(null);
    this.columns.forEach((column, i) => {
      // A repeated header name keeps its first column's stats, as mappings do.
      if (column in summary) return;
      const state = this.states[i] as ColumnState;
      summary[column] = {
        filled: state.filled,
        empty: state.empty,
        unique: state.unique.count(),
        ...(state.unique.estimated() ? { uniqueEstimated: true } : {}),
        samples: [...state.samples],
        type: state.types.result(),
      };
    });
    return summary;
  }
}

function addSample(samples: string[], value: string): void {
  const sample = value.length > MAX_SAMPLE_LENGTH ? truncate(value, MAX_SAMPLE_LENGTH) : value;
  if (!samples.includes(sample)) samples.push(sample);
}

/** Cuts to `max` UTF-16 units without leaving half of a surrogate pair at the end. */
function truncate(value: string, max: number): string {
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
