import { ImportError } from '../errors.js';

/** A checked REDIS_URL: the URL to connect with, and what may be shown of it. */
export interface RedisTarget {
  url: string;
  /** `redis://host:port/db` with no user name or password: safe for messages and logs. */
  where: string;
  /** Removes the URL's password (raw or decoded) from a message a driver produced. */
  redact(text: string): string;
}

const FORM_HINT = 'use redis://[user:password@]host[:port][/db], or rediss://… for TLS';

/**
 * Checks the URL up front so a typo is a usage error (exit 2) rather than a connection failure,
 * and so no message ever needs to echo the URL itself, password included.
 */
export function parseRedisUrl(raw: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ImportError('USAGE', 'REDIS_URL is not a valid URL', { hint: FORM_HINT });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ImportError('USAGE', `REDIS_URL must start with redis:// or rediss://, not ${parsed.protocol}//`, { hint: FORM_HINT });
  }
  if (!parsed.hostname) throw new ImportError('USAGE', 'REDIS_URL has no host name', { hint: FORM_HINT });
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new ImportError('USAGE', `REDIS_URL names database "${db}"; Redis databases are numbers`, { hint: FORM_HINT });
  }
  const port = parsed.port || '6379';
  const where = `${parsed.protocol}//${parsed.hostname}:${port}${db ? `/${db}` : ''}`;
  const secrets = [parsed.password, safeDecode(parsed.password)].filter((s) => s.length > 0);
  return {
    url: raw,
    where,
    redact: (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
