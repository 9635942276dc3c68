import { describe, expect, it } from 'vitest';
import { oneWriterAtATime } from '../../../../src/db/sqlite/one-writer-at-a-time.js';

describe('oneWriterAtATime', () => {
  it('runs work on the same key one after another, in order, and other keys alongside', async () => {
    const events: string[] = [];
    const step = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      oneWriterAtATime('a.db', step('first', 20)),
      oneWriterAtATime('a.db', step('second', 1)),
      oneWriterAtATime('b.db', step('other', 1)),
    ]);
    expect(results).toEqual(['first', 'second', 'other']);
    expect(events.indexOf('second start')).toBeGreaterThan(events.indexOf('first end'));
    expect(events.indexOf('other end')).toBeLessThan(events.indexOf('first end'));
  });

  it('lets the next one run after a failure', async () => {
    await expect(oneWriterAtATime('c.db', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await oneWriterAtATime('c.db', async () => 'next')).toBe('next');
  });
});
