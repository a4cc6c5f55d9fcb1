import { CONTROL_CHARACTERS } from './escapeControl';

/**
 * Makes JSON text that a server wrote safe to print on a terminal, keeping
 * its value: in valid JSON, a raw control character is either whitespace
 * between tokens (a tab, a line break of pretty-printed JSON), which becomes
 * a space, or a character inside a string that JSON lets through unescaped
 * (DEL, C1 controls such as the 8-bit CSI, the bidirectional overrides),
 * which becomes its `\uXXXX` escape. `JSON.parse` reads the same value before
 * and after; a terminal shows the characters instead of acting on them.
 *
 * ## Example
 * ```ts
 * escapeJsonControl('{"id":"a\u202eb",\n"n":1}'); // '{"id":"a\\u202eb", "n":1}'
 * ```
 *
 * @param json JSON text, such as a server sent it.
 * @returns The same JSON value, on one line, without control characters.
 */
export function escapeJsonControl(json: string): string {
  return json.replace(CONTROL_CHARACTERS, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
