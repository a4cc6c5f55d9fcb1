/**
 * C0 and C1 control characters, DEL, and the Unicode bidirectional overrides:
 * what a terminal acts on rather than shows (a new line, an ANSI escape, text
 * drawn right to left).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes text that a server wrote safe to print on a terminal: each control
 * character becomes a visible escape (`\n`, `\u001b`), so that a server can
 * neither forge a line of its own (`\nrxsc: …`) nor send ANSI sequences that
 * recolour, move the cursor or retitle the window.
 *
 * ## Example
 * ```ts
 * escapeControl('boom\n\u001b[2Jrxsc: all good'); // 'boom\\n\\u001b[2Jrxsc: all good'
 * ```
 *
 * @param text Any text.
 * @returns The text, one line, without control characters.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
