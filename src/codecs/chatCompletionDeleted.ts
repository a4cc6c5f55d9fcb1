import * as t from 'io-ts';
import { openEnum } from '../internal/codecs/openEnum';
import { struct } from '../internal/codecs/struct';

/**
 * The answer to a delete: `{ object: 'chat.completion.deleted', id, deleted }`.
 *
 * `object` need only be a string when present.
 *
 * @see ChatCompletionDeleted (components.schemas.ChatCompletionDeleted in stored-completions.yaml)
 */
export const ChatCompletionDeleted = struct(
  { id: t.string, deleted: t.boolean },
  { object: openEnum(['chat.completion.deleted'], 'ChatCompletionDeleted.object') },
  'ChatCompletionDeleted',
);
/** What {@link ChatCompletionDeleted} decodes to. */
export interface ChatCompletionDeleted extends t.TypeOf<typeof ChatCompletionDeleted> {}
