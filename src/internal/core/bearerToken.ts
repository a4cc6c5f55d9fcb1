import { defer, map, timeout, type Observable } from 'rxjs';
import { InvalidArgumentError, StoredCompletionsError, TokenProviderError } from '../../errors';
import { MAX_TIMER_MS } from '../fetch/httpRequest';

/**
 * The token of one attempt, from the client's token provider: a cold Observable that asks it once
 * per subscription. Asking is part of the attempt, so `attemptMs`, the attempt's bound, bounds it
 * too: a provider that never settles cannot hold a request forever.
 *
 * @param tokenProvider The client's `azure.tokenProvider`.
 * @param attemptMs `timeout.attemptMs`; no bound beyond what a Node timer holds (about 24.8 days).
 * @returns The token, checked fit for a header.
 * @throws {TokenProviderError} through the Observable, when the provider throws, rejects or takes longer than `attemptMs`.
 * @throws {InvalidArgumentError} through the Observable, for a token that is not a non-empty string without line breaks.
 */
export function bearerToken(tokenProvider: () => string | Promise<string>, attemptMs: number | undefined): Observable<string> {
  const token = defer(async () => {
    try {
      return await tokenProvider();
    } catch (cause) {
      if (cause instanceof StoredCompletionsError) throw cause;
      throw new TokenProviderError('token_provider_failed', `\`tokenProvider\` failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }).pipe(map(checkedToken));
  if (attemptMs === undefined || attemptMs > MAX_TIMER_MS) return token;
  return token.pipe(
    timeout({
      first: attemptMs,
      with: () => {
        throw new TokenProviderError(
          'token_provider_timeout',
          `\`tokenProvider\` gave no token within ${attemptMs} ms (timeout.attemptMs, which bounds the whole attempt, the token included)`,
        );
      },
    }),
  );
}

/** A token fit for a header: a line break would end it early, and undici refuses it. */
function checkedToken(token: unknown): string {
  if (typeof token !== 'string' || token === '' || /[\r\n\0]/.test(token)) {
    // The value is a secret, even a malformed one: the message describes it without quoting it.
    const got = typeof token !== 'string' ? typeof token : token === '' ? 'an empty string' : 'a string with a line break';
    throw new InvalidArgumentError(`Expected \`tokenProvider\` to give a non-empty string without line breaks, got ${got}`);
  }
  return token;
}
