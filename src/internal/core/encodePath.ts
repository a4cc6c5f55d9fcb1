import { InvalidArgumentError } from '../../errors';
import { encodeComponent } from '../fetch/encodeComponent';

/**
 * Builds a request path from literal segments and path parameters, each
 * parameter percent-encoded as one segment: an id holding `/`, `?`, `#` or
 * `%` stays an id and never changes the route.
 *
 * `.` and `..` are refused: a URL parser resolves them as segments (in their
 * percent-encoded forms too), so no encoding can carry them to the server.
 *
 * ## Example
 * ```ts
 * encodePath`/chat/completions/${id}/messages`; // id 'a/b?c' → '/chat/completions/a%2Fb%3Fc/messages'
 * ```
 *
 * @param literals The template's literal parts.
 * @param params The path parameters: non-empty strings.
 * @returns The encoded path.
 * @throws {InvalidArgumentError} for a parameter that is not a non-empty string, is `.` or `..`, or holds a lone surrogate.
 */
export function encodePath(literals: TemplateStringsArray, ...params: readonly unknown[]): string {
  return literals.reduce((path, literal, index) => {
    if (index === 0) return literal;
    const param = params[index - 1];
    if (typeof param !== 'string' || param === '' || param === '.' || param === '..') {
      throw new InvalidArgumentError(`Expected an id to be a non-empty string other than '.' and '..', got ${describe(param)}`);
    }
    return `${path}${encodeComponent('an id', param)}${literal}`;
  }, '');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
