import * as t from 'io-ts';
import { struct } from '../internal/codecs/struct';

/**
 * Breakdown of the completion's tokens; every field optional.
 *
 * @see CompletionUsage.completion_tokens_details in stored-completions.yaml
 */
export const CompletionTokensDetails = t.partial(
  {
    accepted_prediction_tokens: t.number,
    audio_tokens: t.number,
    reasoning_tokens: t.number,
    text_tokens: t.number,
    rejected_prediction_tokens: t.number,
  },
  'CompletionTokensDetails',
);
/** What {@link CompletionTokensDetails} decodes to. */
export interface CompletionTokensDetails extends t.TypeOf<typeof CompletionTokensDetails> {}

/**
 * Breakdown of the prompt's tokens; every field optional.
 *
 * @see CompletionUsage.prompt_tokens_details in stored-completions.yaml
 */
export const PromptTokensDetails = t.partial(
  {
    audio_tokens: t.number,
    cached_tokens: t.number,
    text_tokens: t.number,
    image_tokens: t.number,
    cache_write_tokens: t.number,
  },
  'PromptTokensDetails',
);
/** What {@link PromptTokensDetails} decodes to. */
export interface PromptTokensDetails extends t.TypeOf<typeof PromptTokensDetails> {}

/**
 * Token counts of one completion.
 *
 * The three totals are required numbers (integers are not checked: a float
 * would still count); the two breakdowns are optional, as older completions
 * lack them.
 *
 * @see CompletionUsage (components.schemas.CompletionUsage in stored-completions.yaml)
 */
export const CompletionUsage = struct(
  { prompt_tokens: t.number, completion_tokens: t.number, total_tokens: t.number },
  { completion_tokens_details: CompletionTokensDetails, prompt_tokens_details: PromptTokensDetails },
  'CompletionUsage',
);
/** What {@link CompletionUsage} decodes to. */
export interface CompletionUsage extends t.TypeOf<typeof CompletionUsage> {}
