/**
 * Hides credentials (`scheme://user:password@host` → `scheme://user:***@host`) so they never
 * reach a message or log. Errs on the side of hiding: everything up to the last `@` goes.
 */
export function redactDatabaseUrl(url: string): string {
  const text = String(url);
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const prefix = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/.exec(text)?.[0] ?? '';
  const userinfo = text.slice(prefix.length, at);
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 && !/[/?#]/.test(userinfo.slice(0, colon)) ? `${userinfo.slice(0, colon)}:` : '';
  return `${prefix}${user}***${text.slice(at)}`;
}
