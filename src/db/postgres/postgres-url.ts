import { checkSchemaName } from '../table-name.js';

export interface PostgresUrl {
  /** What node-postgres gets: the URL without the parameters this tool reads itself. */
  connectionString: string;
  /** From `?schema=NAME`, when present. */
  schema?: string;
}

/**
 * Splits a postgres:// URL into node-postgres's connection string and this tool's own
 * `schema` parameter. Everything else (sslmode, options=-c search_path=…, host=…) is left to
 * node-postgres, which also fills what the URL omits from PGHOST, PGUSER, PGPASSWORD, … The
 * URL is only re-serialized when it has a schema parameter, so other URLs reach pg untouched.
 */
export function parsePostgresUrl(url: string): PostgresUrl {
  const trimmed = url.trim();
  const question = trimmed.indexOf('?');
  if (question < 0) return { connectionString: trimmed };
  const params = new URLSearchParams(trimmed.slice(question + 1));
  const schema = params.get('schema');
  if (schema === null) return { connectionString: trimmed };
  params.delete('schema');
  const rest = params.toString();
  return {
    connectionString: `${trimmed.slice(0, question)}${rest === '' ? '' : `?${rest}`}`,
    schema: checkSchemaName(schema),
  };
}
