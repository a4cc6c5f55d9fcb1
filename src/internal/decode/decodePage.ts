import type * as t from 'io-ts';
import { map, type OperatorFunction } from 'rxjs';
import { decodeOrThrow } from '../../codecs/decodeOrThrow';

/**
 * Decodes every page of a stream with an io-ts codec. A page that does not
 * match fails the stream with a {@link DecodeError} naming each path, like
 * `data[3].id: expected string, got undefined`; decoding is not retried, as the
 * same bytes would come back.
 *
 * ## Example
 * ```ts
 * import { decodePage, ChatCompletionList } from 'rx-stored-completions';
 * rawPages$.pipe(decodePage(ChatCompletionList));
 * ```
 *
 * @param codec The page codec, e.g. `ChatCompletionList`.
 * @returns An operator from parsed JSON to decoded pages.
 */
export function decodePage<C extends t.Mixed>(codec: C): OperatorFunction<unknown, t.TypeOf<C>> {
  return map((page) => decodeOrThrow(codec, page));
}
