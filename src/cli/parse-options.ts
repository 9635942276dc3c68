import { InvalidArgumentError } from 'commander';
import type { MaxInvalid } from '../pipeline/import.js';
import { MAX_RECORD_SIZE_LIMIT } from '../records/csv/max-record-size.js';

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

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/** "2MB", "512KB", "1.5MiB" or bytes ("1048576"); KB and MB are 1024-based, as the README's MiB. */
export function parseSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError('expected a size such as 2MB, 512KB or a number of bytes');
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1 || bytes > MAX_RECORD_SIZE_LIMIT) throw new InvalidArgumentError('expected a size from 1 byte to 256MB');
  return bytes;
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
