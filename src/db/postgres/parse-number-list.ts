/**
 * The non-negative integers of a comma-separated list ("3,17,0"), as a statement's string_agg
 * returns them; NULL (string_agg of no rows) is the empty list. One text value a statement
 * costs the client far less than one result row a contact (pg builds an object a row), and
 * a loop over character codes allocates nothing per number, unlike split().
 */
export function parseNumberList(text: string | null | undefined): number[] {
  const numbers: number[] = [];
  if (!text) return numbers;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44) {
      numbers.push(value);
      value = 0;
    } else if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
    else throw new TypeError(`not a list of numbers: ${JSON.stringify(text.slice(0, 40))}`);
  }
  numbers.push(value);
  return numbers;
}
