import { describe, expect, it } from 'vitest';
import { ColumnProfiler } from '../../../src/profile/column-profiler.js';

describe('ColumnProfiler', () => {
  it('counts filled, empty, unique, samples and type per column', () => {
    const profiler = new ColumnProfiler(['Email', 'Name', 'Notes']);
    profiler.add([' a@x.io ', 'Ann', '']);
    profiler.add(['a@x.io', '  ', '  \t']);
    profiler.add(['b@x.io', 'Bob', 'hello']);
    profiler.add(['c@x.io']); // short row: missing values are blank
    const summary = profiler.result();
    expect(Object.getPrototypeOf(summary)).toBeNull();
    expect(summary['Email']).toEqual({ filled: 4, empty: 0, unique: 3, samples: ['a@x.io', 'b@x.io', 'c@x.io'], type: 'email' });
    expect(summary['Name']).toEqual({ filled: 2, empty: 2, unique: 2, samples: ['Ann', 'Bob'], type: 'text' });
    expect(summary['Notes']).toEqual({ filled: 1, empty: 3, unique: 1, samples: ['hello'], type: 'text' });
  });

  it('counts distinct values exactly whether their repeats are remembered or not', () => {
    // A few repeated values (remembered by the type tally) among 3000 distinct ones (past what it remembers).
    const profiler = new ColumnProfiler(['V']);
    const distinct = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const value = i % 3 === 0 ? `city ${i % 7}` : `v${(i * 7919) % 3000}`;
      distinct.add(value);
      profiler.add([value]);
    }
    expect(profiler.result()['V']).toMatchObject({ filled: 20_000, unique: distinct.size });
  });

  it('reports an all-blank column as empty', () => {
    const profiler = new ColumnProfiler(['X']);
    profiler.add(['']);
    profiler.add([' ']);
    expect(profiler.result()['X']).toEqual({ filled: 0, empty: 2, unique: 0, samples: [], type: 'empty' });
  });

  it('keeps the first five distinct samples, each cut to 100 characters', () => {
    const profiler = new ColumnProfiler(['V']);
    for (const v of ['a', 'a', 'b', 'c', 'b', 'd', 'e', 'f', 'g']) profiler.add([v]);
    profiler.add(['x'.repeat(500)]);
    expect(profiler.result()['V']?.samples).toEqual(['a', 'b', 'c', 'd', 'e']);

    const long = new ColumnProfiler(['L']);
    long.add(['y'.repeat(500)]);
    long.add([`${'z'.repeat(99)}😀tail`]);
    expect(long.result()['L']?.samples).toEqual(['y'.repeat(100), 'z'.repeat(99)]);
  });

  it('keeps __proto__ and constructor columns as ordinary keys', () => {
    const profiler = new ColumnProfiler(['__proto__', 'constructor', 'toString']);
    profiler.add(['1', 'x', 'y']);
    const summary = profiler.result();
    expect(Object.keys(summary)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(summary['__proto__']).toMatchObject({ filled: 1, unique: 1, type: 'number' });
    expect(summary['constructor']).toMatchObject({ filled: 1, samples: ['x'] });
    expect(JSON.parse(JSON.stringify(summary))['__proto__']).toMatchObject({ filled: 1 });
  });

  it('keeps the first column of a repeated header name', () => {
    const profiler = new ColumnProfiler(['A', 'A']);
    profiler.add(['1', '']);
    expect(profiler.result()['A']).toMatchObject({ filled: 1, empty: 0 });
  });

  it('estimates unique counts past 50k distinct values and flags them', () => {
    const profiler = new ColumnProfiler(['Id', 'Flag']);
    for (let i = 0; i < 120_000; i++) profiler.add([`id-${i}`, i % 2 ? 'yes' : 'no']);
    const summary = profiler.result();
    expect(summary['Id']?.uniqueEstimated).toBe(true);
    expect(Math.abs((summary['Id']?.unique ?? 0) - 120_000) / 120_000).toBeLessThan(0.01);
    expect(summary['Flag']).toEqual({ filled: 120_000, empty: 0, unique: 2, samples: ['no', 'yes'], type: 'text' });
    expect('uniqueEstimated' in (summary['Flag'] ?? {})).toBe(false);
  });
});
