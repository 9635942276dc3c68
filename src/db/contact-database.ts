import type { ContactStore, ContactStoreOptions } from './contact-store.js';
import { checkSchemaName, checkTableName } from './table-name.js';
import { describeDatabase, openContactStore, openExistingContactStore, type DatabaseSource } from './open-contact-store.js';

/** What one step asks of the database: the context's, or another `database` for this call. */
export interface StoreChoice extends ContactStoreOptions {
  database?: DatabaseSource;
}

/**
 * Where contacts go, as a Context carries it: nothing is opened until a step needs a store,
 * and each step opens its own (with its table, schema and dry run) and closes it.
 */
export class ContactDatabase {
  constructor(
    readonly source: DatabaseSource,
    private readonly defaults: { table: string } & Pick<ContactStoreOptions, 'connectTimeoutMs' | 'statementTimeoutMs' | 'lockTimeoutMs'>,
  ) {}

  /** The store for one step, with its schema ensured; the caller closes it. */
  open(choice: StoreChoice = {}): Promise<ContactStore> {
    return openContactStore(choice.database ?? this.source, this.options(choice));
  }

  /** The same, or undefined for a SQLite file that does not exist: a step that only reads must not create it. */
  openExisting(choice: StoreChoice = {}): Promise<ContactStore | undefined> {
    return openExistingContactStore(choice.database ?? this.source, this.options(choice));
  }

  /**
   * Refuses a table or schema name no engine would open (USAGE), before a step does anything
   * else: a `run` must not upload a file it cannot import.
   */
  checkNames(choice: StoreChoice = {}): void {
    checkTableName(choice.table ?? this.defaults.table);
    if (choice.schema !== undefined) checkSchemaName(choice.schema);
  }

  /** The database a step uses, for messages (never with a password). */
  describe(choice: StoreChoice = {}): string {
    return describeDatabase(choice.database ?? this.source);
  }

  private options(choice: StoreChoice) {
    return {
      table: choice.table ?? this.defaults.table,
      schema: choice.schema,
      dryRun: choice.dryRun,
      connectTimeoutMs: this.defaults.connectTimeoutMs,
      statementTimeoutMs: this.defaults.statementTimeoutMs,
      lockTimeoutMs: this.defaults.lockTimeoutMs,
    };
  }
}
