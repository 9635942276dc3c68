/**
 * Remembers the first row of each normalized email among valid rows: later rows with the same
 * email are duplicates (the first occurrence wins). Exact — a Map, not a probabilistic filter —
 * because a false positive would silently drop a contact.
 */
export class DuplicateTracker {
  private readonly firstRows = new Map<string, number>();

  /** The earlier row that had this email, or undefined (and the row is remembered). */
  check(email: string, row: number): number | undefined {
    const first = this.firstRows.get(email);
    if (first !== undefined) return first;
    this.firstRows.set(email, row);
    return undefined;
  }
}
