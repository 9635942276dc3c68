// Header names become the keys of the column mapping, so every column needs a distinct,
// non-empty name. Original names are reserved first so a generated `Phone (2)` can never
// take the name of a real `Phone (2)` column further right.

/** Trims names, names empty ones `Column N`, and suffixes repeats: `Phone`, `Phone (2)`, … */
export function uniqueHeaders(raw: string[]): string[] {
  const names = raw.map((name, i) => {
    const trimmed = name.trim();
    return trimmed === '' ? `Column ${i + 1}` : trimmed;
  });

  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name} (${n})`)) n++;
    const renamed = `${name} (${n})`;
    taken.add(renamed);
    return renamed;
  });
}
