import { DEFAULTS } from '../../defaults';
import { InvalidArgumentError } from '../../errors';
import { REDACTED, Redactor } from '../redact/Redactor';

/**
 * Whether requests to `baseURL` need an API key: those to OpenAI's own host,
 * however its URL is spelled. Other servers (the emulator, a proxy) may take none.
 *
 * @param baseURL An absolute URL.
 * @returns `true` for OpenAI's host.
 */
export function needsApiKey(baseURL: string): boolean {
  return new URL(baseURL).hostname === new URL(DEFAULTS.baseURL).hostname;
}

/**
 * Checks a base URL and gives it in the form requests are built from, with
 * no trailing slash. The CLI checks its `--base-url` with it too.
 *
 * @param text The URL.
 * @param name What the caller calls it, for the message (`baseURL`, `--base-url`).
 * @returns The URL without trailing slashes.
 * @throws {InvalidArgumentError} for a URL that is not absolute http(s), has a query or a
 *   fragment (a bare `?` or `#` included), or leading or trailing white space.
 */
export function parseBaseURL(text: string, name = 'baseURL'): string {
  // Masked before it is quoted (JSON escapes a `"` of a password), and by position as well:
  // a URL that does not parse has no user info to read, yet may hold one.
  const shown = JSON.stringify(Redactor.of({ urls: [text] }).text(text).replace(/^([^:/?#]*:\/\/).*@/, `$1${REDACTED}@`));
  // `new URL` trims white space and drops a bare `?` or `#`, but the text is what paths are appended to.
  if (text.trim() !== text) {
    throw new InvalidArgumentError(`Expected \`${name}\` to have no leading or trailing white space, got ${shown}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an absolute http(s) URL, got ${shown}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an http(s) URL, got ${shown}`);
  }
  // Paths are appended to it as text: a query or fragment would swallow them.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to have no query and no fragment, got ${shown}`);
  }
  return text.replace(/\/+$/, '');
}
