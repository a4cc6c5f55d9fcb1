/**
 * Helpers for writing JSON text by hand. The emulator assembles responses from cached fragments
 * instead of stringifying objects per request, and some values (integers above 2^53) cannot pass
 * through a JavaScript number at all.
 */

/**
 * A string as a JSON string literal.
 *
 * @param text any string.
 * @returns the quoted, escaped literal.
 */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * A number the way the API (a Python service) writes a float: `1.0`, `0.7`, `0.0`.
 *
 * @param value a finite number.
 * @returns its JSON text with a fractional part.
 */
export function floatText(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/**
 * The literal text of a number at the top level of a JSON object, e.g. `"seed": 4944116822809979520`.
 *
 * `JSON.parse` rounds integers above 2^53, so a faithful echo of such a value must come from the
 * request's text. This scans the text once, skipping strings and nested values, and (like
 * `JSON.parse`) lets the last duplicate key win.
 *
 * @param json the text of a JSON object, already known to parse.
 * @param key the property to find.
 * @returns the number's text, or `undefined` when the property is absent or not a number.
 */
export function topLevelNumberText(json: string, key: string): string | undefined {
  let found: string | undefined;
  let depth = 0;
  let expectingKey = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charAt(i);
    if (ch === '"') {
      const end = endOfString(json, i);
      if (depth === 1 && expectingKey) {
        expectingKey = false;
        COLON_AND_NUMBER.lastIndex = end + 1;
        const match = COLON_AND_NUMBER.exec(json);
        if (JSON.parse(json.slice(i, end + 1)) === key) found = match?.[1];
        i = match === null ? end : COLON_AND_NUMBER.lastIndex - 1;
      } else {
        i = end;
      }
    } else if (ch === '{' || ch === '[') {
      depth++;
      expectingKey = depth === 1 && ch === '{';
    } else if (ch === '}' || ch === ']') {
      depth--;
    } else if (ch === ',' && depth === 1) {
      expectingKey = true;
    }
  }
  return found;
}

const COLON_AND_NUMBER = /\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)?/y;

function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (json.charAt(i) !== '"') i += json.charAt(i) === '\\' ? 2 : 1;
  return i;
}
