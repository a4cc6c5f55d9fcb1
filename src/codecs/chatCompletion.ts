import * as t from 'io-ts';
import { CompletionUsage } from './completionUsage';
import { ChatCompletionChoiceLogprobs } from './logprobs';
import { Metadata } from './metadata';
import { ChatCompletionModeration } from './moderation';
import { openEnum } from '../internal/codecs/openEnum';
import { ChatCompletionResponseMessage } from './responseMessage';
import { ServiceTier } from './serviceTier';
import { struct } from '../internal/codecs/struct';

/**
 * Why the model stopped: `stop`, `length`, `tool_calls`, `content_filter`, `function_call`, or any newer reason.
 *
 * @see CreateChatCompletionResponse.choices[].finish_reason in stored-completions.yaml
 */
export const FinishReason = openEnum(
  ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'],
  'FinishReason',
);
/** What {@link FinishReason} decodes to. */
export type FinishReason = t.TypeOf<typeof FinishReason>;

/**
 * One choice of a completion: its index, message, finish reason and log probabilities.
 *
 * `logprobs` may be `null` or absent (the spec requires the key; null and
 * absent mean the same here). The finish reason is open (see {@link FinishReason}).
 *
 * @see CreateChatCompletionResponse.choices[] in stored-completions.yaml
 */
export const ChatCompletionChoice = struct(
  { finish_reason: FinishReason, index: t.number, message: ChatCompletionResponseMessage },
  { logprobs: t.union([t.null, ChatCompletionChoiceLogprobs]) },
  'ChatCompletionChoice',
);
/** What {@link ChatCompletionChoice} decodes to. */
export interface ChatCompletionChoice extends t.TypeOf<typeof ChatCompletionChoice> {}

/**
 * A stored chat completion, as the list, retrieve and update endpoints return it.
 *
 * Required: `id`, `choices`, `created` (Unix seconds, kept a number) and `model`.
 * `object` need not be `chat.completion`, only a string, and may be absent.
 * `usage`, `metadata` and `service_tier` may be null or absent: the API sends
 * null where the schema has an object or an array (`tool_calls`, `tools`).
 * Beyond the schema, it types the request echo that stored completions carry
 * (see the examples): `request_id`, `seed`, the sampling parameters, `input_user`,
 * `tools`, `tool_choice`, `response_format`, each optional. `seed` is a plain
 * number, so one above 2^53 has already lost precision in `JSON.parse`.
 * Any other field stays on the object, untyped, and the decoded value is the input itself.
 *
 * @see CreateChatCompletionResponse (components.schemas.CreateChatCompletionResponse in stored-completions.yaml)
 */
export const ChatCompletion = struct(
  { id: t.string, choices: t.array(ChatCompletionChoice), created: t.number, model: t.string },
  {
    object: openEnum(['chat.completion'], 'ChatCompletion.object'),
    metadata: Metadata,
    service_tier: ServiceTier,
    system_fingerprint: t.union([t.string, t.null]),
    usage: t.union([CompletionUsage, t.null]),
    moderation: t.union([t.null, ChatCompletionModeration]),
    request_id: t.string,
    seed: t.union([t.number, t.null]),
    temperature: t.union([t.number, t.null]),
    top_p: t.union([t.number, t.null]),
    presence_penalty: t.union([t.number, t.null]),
    frequency_penalty: t.union([t.number, t.null]),
    input_user: t.union([t.string, t.null]),
    tools: t.union([t.null, t.UnknownArray]),
    tool_choice: t.unknown,
    response_format: t.unknown,
  },
  'ChatCompletion',
);
/** What {@link ChatCompletion} decodes to. */
export interface ChatCompletion extends t.TypeOf<typeof ChatCompletion> {}
