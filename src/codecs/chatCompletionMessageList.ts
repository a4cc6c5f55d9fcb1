import * as t from 'io-ts';
import { ChatCompletionMessageContentPart } from './contentParts';
import { openEnum } from '../internal/codecs/openEnum';
import { ChatCompletionResponseMessage } from './responseMessage';
import { struct } from '../internal/codecs/struct';

/**
 * A message of a stored completion, an item of the messages list: a
 * {@link ChatCompletionResponseMessage} with an `id`, in any role.
 *
 * Beyond the schema: `name` (string, null or absent) as the API sends it, and
 * `content_parts` may be null or absent.
 *
 * @see ChatCompletionMessageList.data[] in stored-completions.yaml (allOf ChatCompletionResponseMessage)
 */
export const ChatCompletionMessage = struct(
  { ...ChatCompletionResponseMessage.required, id: t.string },
  {
    ...ChatCompletionResponseMessage.optional,
    name: t.union([t.string, t.null]),
    content_parts: t.union([t.null, t.array(ChatCompletionMessageContentPart)]),
  },
  'ChatCompletionMessage',
);
/** What {@link ChatCompletionMessage} decodes to. */
export interface ChatCompletionMessage extends t.TypeOf<typeof ChatCompletionMessage> {}

/**
 * A page of the messages of a stored completion: `{ object: 'list', data, first_id, last_id, has_more }`.
 *
 * Tolerates what {@link ChatCompletionList} tolerates: `first_id` and `last_id`
 * null or absent, `object` any string or absent.
 *
 * @see ChatCompletionMessageList (components.schemas.ChatCompletionMessageList in stored-completions.yaml)
 */
export const ChatCompletionMessageList = struct(
  { data: t.array(ChatCompletionMessage), has_more: t.boolean },
  {
    object: openEnum(['list'], 'ChatCompletionMessageList.object'),
    first_id: t.union([t.string, t.null]),
    last_id: t.union([t.string, t.null]),
  },
  'ChatCompletionMessageList',
);
/** What {@link ChatCompletionMessageList} decodes to. */
export interface ChatCompletionMessageList extends t.TypeOf<typeof ChatCompletionMessageList> {}
