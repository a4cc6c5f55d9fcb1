import * as t from 'io-ts';
import { openEnum } from '../internal/codecs/openEnum';
import { otherThan } from '../internal/codecs/otherThan';
import { struct } from '../internal/codecs/struct';

/**
 * A kind of input a moderation score reflects: `text`, `image`, or any newer one.
 *
 * @see ModerationInputType (components.schemas.ModerationInputType in stored-completions.yaml)
 */
export const ModerationInputType = openEnum(['text', 'image'], 'ModerationInputType');
/** What {@link ModerationInputType} decodes to. */
export type ModerationInputType = t.TypeOf<typeof ModerationInputType>;

/**
 * One moderation result: whether the content was flagged, per category and with scores.
 *
 * `type` may be absent (the spec gives it a default) and is open. Category
 * names are open too: the maps take any key.
 *
 * @see ModerationResultBody (components.schemas.ModerationResultBody in stored-completions.yaml)
 */
export const ModerationResultBody = struct(
  {
    model: t.string,
    flagged: t.boolean,
    categories: t.record(t.string, t.boolean),
    category_scores: t.record(t.string, t.number),
    category_applied_input_types: t.record(t.string, t.array(ModerationInputType)),
  },
  { type: openEnum(['moderation_result'], 'ModerationResultBody.type') },
  'ModerationResultBody',
);
/** What {@link ModerationResultBody} decodes to. */
export interface ModerationResultBody extends t.TypeOf<typeof ModerationResultBody> {}

/**
 * Successful moderation of a completion's input or output: `{ type: 'moderation_results', model, results }`.
 *
 * @see ChatCompletionModerationResults (components.schemas.ChatCompletionModerationResults in stored-completions.yaml)
 */
export const ChatCompletionModerationResults = t.type(
  { type: t.literal('moderation_results'), model: t.string, results: t.array(ModerationResultBody) },
  'ChatCompletionModerationResults',
);
/** What {@link ChatCompletionModerationResults} decodes to. */
export interface ChatCompletionModerationResults extends t.TypeOf<typeof ChatCompletionModerationResults> {}

/**
 * A moderation that could not be done: `{ type: 'error', code, message }`.
 *
 * @see ChatCompletionModerationError (components.schemas.ChatCompletionModerationError in stored-completions.yaml)
 */
export const ChatCompletionModerationError = t.type(
  { type: t.literal('error'), code: t.string, message: t.string },
  'ChatCompletionModerationError',
);
/** What {@link ChatCompletionModerationError} decodes to. */
export interface ChatCompletionModerationError extends t.TypeOf<typeof ChatCompletionModerationError> {}

/**
 * A moderation outcome of a kind this library does not know yet: only its
 * `type`, any string but `moderation_results` and `error`, is checked.
 *
 * Not in the spec: a new outcome kind must not fail a page.
 *
 * @see ChatCompletionModeration (components.schemas.ChatCompletionModeration in stored-completions.yaml)
 */
export const ChatCompletionModerationUnknown = t.type(
  { type: otherThan(['moderation_results', 'error'], 'ChatCompletionModerationUnknown.type') },
  'ChatCompletionModerationUnknown',
);
/** What {@link ChatCompletionModerationUnknown} decodes to. */
export interface ChatCompletionModerationUnknown extends t.TypeOf<typeof ChatCompletionModerationUnknown> {}

/**
 * The moderation of a completion's input or of its output: results, an error, or a kind not known yet.
 *
 * @see ChatCompletionModeration.input in stored-completions.yaml
 */
export const ChatCompletionModerationOutcome = t.union(
  [ChatCompletionModerationResults, ChatCompletionModerationError, ChatCompletionModerationUnknown],
  'ChatCompletionModerationOutcome',
);
/** What {@link ChatCompletionModerationOutcome} decodes to. */
export type ChatCompletionModerationOutcome = t.TypeOf<typeof ChatCompletionModerationOutcome>;

/**
 * Moderation of a completion's request input and generated output, when moderated completions were requested.
 *
 * @see ChatCompletionModeration (components.schemas.ChatCompletionModeration in stored-completions.yaml)
 */
export const ChatCompletionModeration = t.type(
  { input: ChatCompletionModerationOutcome, output: ChatCompletionModerationOutcome },
  'ChatCompletionModeration',
);
/** What {@link ChatCompletionModeration} decodes to. */
export interface ChatCompletionModeration extends t.TypeOf<typeof ChatCompletionModeration> {}
