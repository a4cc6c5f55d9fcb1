import { DecodeError } from '../../errors';

/** What stands in for a credential in any text the library produces. */
export const REDACTED = '[redacted]';

/**
 * Headers whose values are credentials, whoever set them: the client
 * (`authorization`), Azure (`api-key`), a caller's own headers, a proxy.
 */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'cookie',
  'set-cookie',
]);

/**
 * Credentials at least this long are masked wherever they occur. A shorter
 * one cannot be a real key, but may be typed by mistake (`--api-key e`):
 * masking each of its occurrences would garble every message (`Could not
 * r[redacted]ach`), so it is masked only where it stands alone: not next to a
 * letter, a digit, `-` or `_`.
 */
export const MIN_MASKED_ANYWHERE_CHARS = 8;

/** Where a quote was cut short. */
const CUT = '…';

/** Characters a key can hold: a short credential glued to one of them is part of another word. */
const KEY_CHARACTER = '[A-Za-z0-9_-]';

/**
 * Masks a fixed set of credentials in text, headers and errors (message,
 * stack, `cause` chain), so that no error, log line or CLI output holds one,
 * however it got there: the server quoting the key back, a header echoing
 * it, an undici error naming a proxy's URL.
 *
 * Built once per client from everything that may be secret: the API key,
 * the values of credential headers (`authorization`, `api-key`, a caller's
 * own), the bearer token inside them, and the user info of the base URL.
 * See {@link MIN_MASKED_ANYWHERE_CHARS} for how short credentials are masked.
 *
 * ## Example
 * ```ts
 * import { Redactor } from 'rx-stored-completions';
 * const redactor = Redactor.of({ headers: { authorization: 'Bearer sk-live-0123456789' }, urls: ['https://u:pw@host/v1'] });
 * redactor.text('bad key sk-live-0123456789'); // 'bad key [redacted]'
 * ```
 */
export class Redactor {
  private readonly secrets: readonly string[];
  private readonly everywhere: readonly string[];
  private readonly standalone: RegExp | undefined;

  /**
   * @param secrets The credentials to mask; empty and repeated ones are ignored.
   */
  constructor(secrets: Iterable<string | undefined>) {
    const unique = new Set<string>();
    for (const secret of secrets) {
      if (secret === undefined || secret === '') continue;
      unique.add(secret);
      const encoded = percentEncoded(secret);
      if (encoded !== undefined && encoded !== secret) unique.add(encoded);
    }
    this.secrets = [...unique];
    // Longest first, so that a token inside a longer secret (`Bearer <token>`) does not cut it in two.
    const sorted = [...unique].sort((a, b) => b.length - a.length);
    this.everywhere = sorted.filter((secret) => secret.length >= MIN_MASKED_ANYWHERE_CHARS);
    const short = sorted.filter((secret) => secret.length < MIN_MASKED_ANYWHERE_CHARS).map(escapeRegExp);
    this.standalone =
      short.length === 0 ? undefined : new RegExp(`(?<!${KEY_CHARACTER})(?:${short.join('|')})(?!${KEY_CHARACTER})`, 'g');
  }

  /**
   * The redactor of a set of credentials: API keys as they are, the values of
   * credential headers with the token after their scheme (`Bearer`, `Basic`),
   * and the user name and password of each URL.
   *
   * @param credentials Keys, headers (any case) and URLs that may hold user info, such as the base URL.
   * @returns The redactor.
   */
  static of(credentials: {
    readonly keys?: Iterable<string | undefined> | undefined;
    readonly headers?: Readonly<Record<string, string>> | undefined;
    readonly urls?: Iterable<string | undefined> | undefined;
  }): Redactor {
    const secrets: Array<string | undefined> = [...(credentials.keys ?? [])];
    for (const [name, value] of Object.entries(credentials.headers ?? {})) {
      if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) continue;
      secrets.push(value, /^\s*\S+\s+(\S+)\s*$/.exec(value)?.[1]);
    }
    for (const url of credentials.urls ?? []) if (url !== undefined) secrets.push(...userInfoOf(url));
    return new Redactor(secrets);
  }

  /**
   * A redactor of these credentials and more: for one known only later, such
   * as the bearer token of one attempt.
   *
   * @param secrets The credentials to add.
   * @returns A new redactor that masks both.
   */
  with(secrets: Iterable<string | undefined>): Redactor {
    return new Redactor([...this.secrets, ...secrets]);
  }

  /** Whether there is anything to mask. */
  get empty(): boolean {
    return this.everywhere.length === 0 && this.standalone === undefined;
  }

  /**
   * @param text Any text.
   * @returns The text with each credential replaced by `[redacted]`.
   */
  text(text: string): string {
    let masked = text;
    for (const secret of this.everywhere) {
      if (masked.includes(secret)) masked = masked.split(secret).join(REDACTED);
    }
    return this.standalone === undefined ? masked : masked.replace(this.standalone, REDACTED);
  }

  /**
   * A value a {@link DecodeError} quotes is cut to 40 characters (`…`) before
   * any redactor sees it, so the cut can end inside a credential, leaving its
   * beginning: masked where at least {@link MIN_MASKED_ANYWHERE_CHARS} of it
   * show. Only there: server text elsewhere is masked before it is cut, and
   * this costs more than {@link Redactor.text} on a long text full of `…`.
   */
  private cutShort(text: string): string {
    if (!text.includes(CUT)) return text;
    return text
      .split(CUT)
      .map((piece, index, pieces) => {
        if (index === pieces.length - 1) return piece;
        for (const secret of this.everywhere) {
          for (let length = Math.min(secret.length - 1, piece.length); length >= MIN_MASKED_ANYWHERE_CHARS; length--) {
            if (piece.endsWith(secret.slice(0, length))) return `${piece.slice(0, piece.length - length)}${REDACTED}`;
          }
        }
        return piece;
      })
      .join(CUT);
  }

  /**
   * Headers fit to keep on an error: credential headers (`set-cookie`, an
   * echoed `authorization`) replaced whole, credentials in other values masked.
   *
   * @param headers Lower-cased headers.
   * @returns A masked copy.
   */
  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const masked: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      masked[name] = CREDENTIAL_HEADERS.has(name) ? REDACTED : this.text(value);
    }
    return masked;
  }

  /**
   * Masks an error in place, with its `cause` chain and the `errors` of an
   * `AggregateError`: `message` and `stack`, which is what `util.inspect`,
   * loggers and `JSON.stringify` of a wrapper read, and the `paths` of a
   * {@link DecodeError}, which quote the server's values.
   *
   * @param error Any thrown value.
   * @returns The same value.
   */
  error<E>(error: E): E {
    if (this.empty) return error;
    const seen = new Set<unknown>();
    const visit = (value: unknown, depth: number): void => {
      if (!(value instanceof Error) || seen.has(value) || depth > 8) return;
      seen.add(value);
      const mask = value instanceof DecodeError ? (text: string) => this.cutShort(this.text(text)) : (text: string) => this.text(text);
      for (const field of ['message', 'stack'] as const) {
        const text = value[field];
        if (typeof text === 'string') {
          const masked = mask(text);
          if (masked !== text) Object.defineProperty(value, field, { value: masked, writable: true, configurable: true, enumerable: false });
        }
      }
      if (value instanceof DecodeError) {
        Object.defineProperty(value, 'paths', { value: value.paths.map(mask), enumerable: true });
      }
      visit(value.cause, depth + 1);
      if (value instanceof AggregateError) for (const inner of value.errors) visit(inner, depth + 1);
    };
    visit(error, 0);
    return error;
  }
}

function userInfoOf(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const parts = [parsed.username, parsed.password].filter((part) => part !== '');
  return [...parts, ...parts.map(safeDecode), ...(parsed.password === '' ? [] : [`${parsed.username}:${parsed.password}`])];
}

/** `undefined` for a secret holding a lone surrogate, which `encodeURIComponent` refuses with a raw `URIError`. */
function percentEncoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
