// The text escapes SpreadsheetML adds on top of XML, decoded as SheetJS decodes them, so
// both readers give a cell the same text: `_x000D_` is a character by its UTF-16 code, and
// string values have CRLF turned into LF.

const ESCAPED_CHARACTER = /_x([\da-fA-F]{4})_/g;
const ENTITY = /&(?:quot|apos|gt|lt|amp|#x?([\da-fA-F]+));/gi;
const ENTITIES: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&gt;': '>', '&lt;': '<', '&amp;': '&' };

/** `_xHHHH_` → the character. */
export function decodeEscapes(text: string): string {
  return text.indexOf('_x') < 0 ? text : text.replace(ESCAPED_CHARACTER, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** A string cell's or shared string's value from its (XML-decoded) text. */
export function stringValue(text: string): string {
  const decoded = decodeEscapes(text);
  return decoded.indexOf('\r\n') < 0 ? decoded : decoded.replace(/\r\n/g, '\n');
}

/**
 * A formula's string result (`t="str"`): SheetJS decodes its XML escapes a second time, so
 * `&amp;lt;` reads as `<`; kept so the two readers agree.
 */
export function formulaStringValue(text: string): string {
  const once = decodeEscapes(text);
  const twice = once.indexOf('&') < 0
    ? once
    : once.replace(ENTITY, (entity, code: string | undefined) =>
        ENTITIES[entity] ?? (String.fromCharCode(parseInt(code!, entity.includes('x') ? 16 : 10)) || entity),
      );
  return stringValue(twice);
}
