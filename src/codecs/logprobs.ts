import * as t from 'io-ts';
import { struct } from '../internal/codecs/struct';

/**
 * One of the most likely tokens at a position.
 *
 * `bytes` may be `null` or absent (null and absent mean the same here).
 *
 * @see ChatCompletionTokenLogprob.top_logprobs in stored-completions.yaml
 */
export const ChatCompletionTopLogprob = struct(
  { token: t.string, logprob: t.number },
  { bytes: t.union([t.array(t.number), t.null]) },
  'ChatCompletionTopLogprob',
);
/** What {@link ChatCompletionTopLogprob} decodes to. */
export interface ChatCompletionTopLogprob extends t.TypeOf<typeof ChatCompletionTopLogprob> {}

/**
 * A token of the output with its log probability and the likeliest alternatives.
 *
 * `bytes` may be `null` or absent; `top_logprobs` is a required array.
 *
 * @see ChatCompletionTokenLogprob (components.schemas.ChatCompletionTokenLogprob in stored-completions.yaml)
 */
export const ChatCompletionTokenLogprob = struct(
  { token: t.string, logprob: t.number, top_logprobs: t.array(ChatCompletionTopLogprob) },
  { bytes: t.union([t.array(t.number), t.null]) },
  'ChatCompletionTokenLogprob',
);
/** What {@link ChatCompletionTokenLogprob} decodes to. */
export interface ChatCompletionTokenLogprob extends t.TypeOf<typeof ChatCompletionTokenLogprob> {}

/**
 * Log probability information of a choice: of its content tokens and its refusal tokens.
 *
 * Both lists may be `null` or absent, though the spec requires the keys: we
 * treat a null and a missing field alike throughout.
 *
 * @see CreateChatCompletionResponse.choices[].logprobs in stored-completions.yaml
 */
export const ChatCompletionChoiceLogprobs = t.partial(
  {
    content: t.union([t.array(ChatCompletionTokenLogprob), t.null]),
    refusal: t.union([t.array(ChatCompletionTokenLogprob), t.null]),
  },
  'ChatCompletionChoiceLogprobs',
);
/** What {@link ChatCompletionChoiceLogprobs} decodes to. */
export interface ChatCompletionChoiceLogprobs extends t.TypeOf<typeof ChatCompletionChoiceLogprobs> {}
