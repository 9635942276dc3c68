/** Where session state (upload record, analysis, progress, mapping) lives, with expiry. */
export interface StateStore {
  readonly kind: 'file' | 'redis';
  /** The stored value, or null when missing or expired. */
  get<T>(key: string): Promise<T | null>;
  /**
   * Stores a JSON-serializable value that expires after ttlSeconds. A key of a fileId's session
   * (STORAGE_KEYS) also keeps that session's other keys alive for at least as long, so a session
   * in use never loses its upload record or analysis half-way.
   */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /**
   * Takes the named lock for ttlSeconds, or resolves null when another holder has it. A holder
   * that dies without releasing it loses it when the TTL runs out.
   */
  acquireLock(name: string, ttlSeconds: number): Promise<StateLock | null>;
  /** When the named lock's current holder loses it (epoch ms), or null when nobody holds it. */
  lockExpiresAt(name: string): Promise<number | null>;
  close(): Promise<void>;
}

export interface StateLock {
  readonly name: string;
  /**
   * Extends the lock by its TTL again (taking it back if it expired and is still free); false
   * when another holder has taken it meanwhile.
   */
  refresh(): Promise<boolean>;
  /** Gives the lock up if it is still ours; never removes another holder's lock. */
  release(): Promise<void>;
}
