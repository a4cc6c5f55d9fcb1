import * as t from 'io-ts';
import { openEnum } from '../internal/codecs/openEnum';
import { otherThan } from '../internal/codecs/otherThan';
import { struct } from '../internal/codecs/struct';

/**
 * Marks the end of a reusable prompt prefix: `{ mode: 'explicit' }` (open, like every enum here).
 *
 * @see PromptCacheBreakpointParam (components.schemas.PromptCacheBreakpointParam in stored-completions.yaml)
 */
export const PromptCacheBreakpointParam = t.type(
  { mode: openEnum(['explicit'], 'PromptCacheBreakpointParam.mode') },
  'PromptCacheBreakpointParam',
);
/** What {@link PromptCacheBreakpointParam} decodes to. */
export interface PromptCacheBreakpointParam extends t.TypeOf<typeof PromptCacheBreakpointParam> {}

/**
 * A text part of a stored request message: `{ type: 'text', text }`.
 *
 * @see ChatCompletionRequestMessageContentPartText (components.schemas.ChatCompletionRequestMessageContentPartText in stored-completions.yaml)
 */
export const ChatCompletionRequestMessageContentPartText = struct(
  { type: t.literal('text'), text: t.string },
  { prompt_cache_breakpoint: PromptCacheBreakpointParam },
  'ChatCompletionRequestMessageContentPartText',
);
/** What {@link ChatCompletionRequestMessageContentPartText} decodes to. */
export interface ChatCompletionRequestMessageContentPartText extends t.TypeOf<typeof ChatCompletionRequestMessageContentPartText> {}

/**
 * An image part of a stored request message: `{ type: 'image_url', image_url: { url, detail? } }`.
 *
 * `url` is a URL or base64 data, kept a string; `detail` is open.
 *
 * @see ChatCompletionRequestMessageContentPartImage (components.schemas.ChatCompletionRequestMessageContentPartImage in stored-completions.yaml)
 */
export const ChatCompletionRequestMessageContentPartImage = struct(
  {
    type: t.literal('image_url'),
    image_url: struct(
      { url: t.string },
      { detail: openEnum(['auto', 'low', 'high'], 'ChatCompletionRequestMessageContentPartImage.image_url.detail') },
      'ChatCompletionRequestMessageContentPartImage.image_url',
    ),
  },
  { prompt_cache_breakpoint: PromptCacheBreakpointParam },
  'ChatCompletionRequestMessageContentPartImage',
);
/** What {@link ChatCompletionRequestMessageContentPartImage} decodes to. */
export interface ChatCompletionRequestMessageContentPartImage extends t.TypeOf<typeof ChatCompletionRequestMessageContentPartImage> {}

/**
 * A content part of a kind this library does not know yet: only its `type`,
 * any string but `text` and `image_url`, is checked.
 *
 * Not in the spec: new part kinds (audio, files) must not fail a page.
 *
 * @see ChatCompletionMessageList.data[].content_parts in stored-completions.yaml
 */
export const ChatCompletionMessageUnknownContentPart = t.type(
  { type: otherThan(['text', 'image_url'], 'ChatCompletionMessageUnknownContentPart.type') },
  'ChatCompletionMessageUnknownContentPart',
);
/** What {@link ChatCompletionMessageUnknownContentPart} decodes to. */
export interface ChatCompletionMessageUnknownContentPart extends t.TypeOf<typeof ChatCompletionMessageUnknownContentPart> {}

/**
 * A content part of a stored message: text, image, or a kind not known yet.
 *
 * @see ChatCompletionMessageList.data[].content_parts in stored-completions.yaml
 */
export const ChatCompletionMessageContentPart = t.union(
  [
    ChatCompletionRequestMessageContentPartText,
    ChatCompletionRequestMessageContentPartImage,
    ChatCompletionMessageUnknownContentPart,
  ],
  'ChatCompletionMessageContentPart',
);
/** What {@link ChatCompletionMessageContentPart} decodes to. */
export type ChatCompletionMessageContentPart = t.TypeOf<typeof ChatCompletionMessageContentPart>;
