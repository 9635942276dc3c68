import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90s", "30m", "12h", "7d", "2w" → milliseconds (for commander: throws InvalidArgumentError). */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 90s, 30m, 12h, 7d or 2w');
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!);
}
