/**
 * The codes of JSON's structural and whitespace characters, the same as
 * UTF-8 bytes and as UTF-16 code units, for the scanners that find their way
 * through a JSON text without parsing it: a list page's bytes
 * (`parseJsonBody`, `peekListItems`) or its text (`rawItems` in the CLI).
 *
 * @module
 */

/** Tab, `\t`: whitespace. */
const TAB = 0x09;
/** Line feed, `\n`: whitespace. */
const LF = 0x0a;
/** Carriage return, `\r`: whitespace. */
const CR = 0x0d;
/** Space: whitespace. */
const SPACE = 0x20;
/** `"`: opens and closes a string. */
export const QUOTE = 0x22;
/** `,`: between members and elements. */
export const COMMA = 0x2c;
/** `:`: between a key and its value. */
export const COLON = 0x3a;
/** `[`: opens an array. */
export const OPEN_BRACKET = 0x5b;
/** `\\`: starts an escape in a string. */
export const BACKSLASH = 0x5c;
/** `]`: closes an array. */
export const CLOSE_BRACKET = 0x5d;
/** `{`: opens an object. */
export const OPEN_BRACE = 0x7b;
/** `}`: closes an object. */
export const CLOSE_BRACE = 0x7d;

/**
 * Whether a byte or code unit is JSON's insignificant whitespace: space, tab, line feed or carriage return.
 *
 * @param code A byte, or a UTF-16 code unit.
 * @returns Whether it is whitespace between JSON tokens.
 */
export function isJsonWhitespace(code: number): boolean {
  return code === SPACE || code === LF || code === CR || code === TAB;
}
