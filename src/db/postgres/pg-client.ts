export interface PgResult<R = Record<string, unknown>> {
  rows: R[];
  rowCount: number | null;
}

/**
 * The part of a node-postgres client the PostgreSQL engine uses (a pg.Client or a pool's
 * client), so callers may hand in their own and pg's types stay out of the rest.
 */
export interface PgClient {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<PgResult<R>>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect?(): Promise<unknown>;
  end?(): Promise<void>;
  /** A pool's client goes back to its pool instead of ending. */
  release?(error?: Error | boolean): void;
  readonly user?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
}

/** A pg.Pool (or one shaped like it): the engine borrows one client from it per step. */
export interface PgPool {
  connect(): Promise<PgClient>;
}
