import { InvalidArgumentError } from 'commander';
import type { MaxInvalid } from '../pipeline/import.js';

// Option parsers for commander: each throws InvalidArgumentError, which commander reports as
// a usage error naming the option.

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number of 1 or more');
  }
  return n;
}

/** "5,12,45" or ranges "10-20"; rows as preview numbers them. */
export function parseRowList(value: string): number[] {
  const rows: number[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from < 1 || to < from || to - from > 1_000_000) throw new InvalidArgumentError(`bad row range "${part}"`);
      for (let row = from; row <= to; row++) rows.push(row);
    } else if (/^\d+$/.test(part) && Number(part) >= 1) {
      rows.push(Number(part));
    } else {
      throw new InvalidArgumentError(`"${part}" is not a row number (use e.g. 5,12,40-45)`);
    }
  }
  return rows;
}

/** "25" (rows) or "2.5%" (of the rows considered). */
export function parseMaxInvalid(value: string): MaxInvalid {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (percent) {
    const p = Number(percent[1]);
    if (p > 100) throw new InvalidArgumentError('a percentage must be at most 100%');
    return { percent: p };
  }
  if (/^\d+$/.test(value.trim())) return { count: Number(value) };
  throw new InvalidArgumentError('expected a row count (e.g. 25) or a percentage (e.g. 2%)');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}`);
    }
    return value as T;
  };
}

/** "email, firstName" → ['email', 'firstName']. */
export function commaList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list, e.g. email,firstName');
  return items;
}
