import * as t from 'io-ts';
import { ChatCompletion } from './chatCompletion';
import { openEnum } from '../internal/codecs/openEnum';
import { struct } from '../internal/codecs/struct';

/**
 * A page of stored chat completions: `{ object: 'list', data, first_id, last_id, has_more }`.
 *
 * `data` must be an array and `has_more` a boolean: the cursor walk depends on
 * both. `first_id` and `last_id` may be null or absent, as on an empty page;
 * `object` need only be a string when present.
 *
 * @see ChatCompletionList (components.schemas.ChatCompletionList in stored-completions.yaml)
 */
export const ChatCompletionList = struct(
  { data: t.array(ChatCompletion), has_more: t.boolean },
  {
    object: openEnum(['list'], 'ChatCompletionList.object'),
    first_id: t.union([t.string, t.null]),
    last_id: t.union([t.string, t.null]),
  },
  'ChatCompletionList',
);
/** What {@link ChatCompletionList} decodes to. */
export interface ChatCompletionList extends t.TypeOf<typeof ChatCompletionList> {}
