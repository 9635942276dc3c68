/** Where session state (upload record, analysis, progress, mapping) lives, with expiry. */
export interface StateStore {
  readonly kind: 'file' | 'redis';
  /** The stored value, or null when missing or expired. */
  get<T>(key: string): Promise<T | null>;
  /** Stores a JSON-serializable value that expires after ttlSeconds. */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  close(): Promise<void>;
}
