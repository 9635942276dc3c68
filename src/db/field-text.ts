/** A contact field as the engines store it: non-empty text, else NULL. */
export function fieldText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}
