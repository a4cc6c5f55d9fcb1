import * as t from 'io-ts';
import { otherThan } from '../internal/codecs/otherThan';

/**
 * A call to a function tool: `{ id, type: 'function', function: { name, arguments } }`.
 *
 * `arguments` is the model's JSON text, kept as a string: it is not always valid JSON.
 *
 * @see ChatCompletionMessageToolCall (components.schemas.ChatCompletionMessageToolCall in stored-completions.yaml; the spec's name for the function member)
 */
export const ChatCompletionMessageFunctionToolCall = t.type(
  {
    id: t.string,
    type: t.literal('function'),
    function: t.type({ name: t.string, arguments: t.string }, 'ChatCompletionMessageFunctionToolCall.function'),
  },
  'ChatCompletionMessageFunctionToolCall',
);
/** What {@link ChatCompletionMessageFunctionToolCall} decodes to. */
export interface ChatCompletionMessageFunctionToolCall extends t.TypeOf<typeof ChatCompletionMessageFunctionToolCall> {}

/**
 * A call to a custom tool: `{ id, type: 'custom', custom: { name, input } }`.
 *
 * @see ChatCompletionMessageCustomToolCall (components.schemas.ChatCompletionMessageCustomToolCall in stored-completions.yaml)
 */
export const ChatCompletionMessageCustomToolCall = t.type(
  {
    id: t.string,
    type: t.literal('custom'),
    custom: t.type({ name: t.string, input: t.string }, 'ChatCompletionMessageCustomToolCall.custom'),
  },
  'ChatCompletionMessageCustomToolCall',
);
/** What {@link ChatCompletionMessageCustomToolCall} decodes to. */
export interface ChatCompletionMessageCustomToolCall extends t.TypeOf<typeof ChatCompletionMessageCustomToolCall> {}

/**
 * A call to a kind of tool this library does not know yet: an `id` and a `type`
 * other than `function` and `custom`; its other fields stay on the object, untyped.
 *
 * Not in the spec: it lets a page with a new kind of tool call decode, while a
 * `function` or `custom` call that lacks its body still fails.
 *
 * @see ChatCompletionMessageToolCalls (components.schemas.ChatCompletionMessageToolCalls in stored-completions.yaml)
 */
export const ChatCompletionMessageUnknownToolCall = t.type(
  { id: t.string, type: otherThan(['function', 'custom'], 'ChatCompletionMessageUnknownToolCall.type') },
  'ChatCompletionMessageUnknownToolCall',
);
/** What {@link ChatCompletionMessageUnknownToolCall} decodes to. */
export interface ChatCompletionMessageUnknownToolCall extends t.TypeOf<typeof ChatCompletionMessageUnknownToolCall> {}

/**
 * A tool call of an assistant message: function, custom, or a kind not known yet.
 *
 * Because the fallback member's `type` is any other string, `call.type === 'function'`
 * does not narrow to the function member in TypeScript; use
 * `ChatCompletionMessageFunctionToolCall.is(call)` to narrow.
 *
 * @see ChatCompletionMessageToolCalls (components.schemas.ChatCompletionMessageToolCalls in stored-completions.yaml)
 */
export const ChatCompletionMessageToolCall = t.union(
  [ChatCompletionMessageFunctionToolCall, ChatCompletionMessageCustomToolCall, ChatCompletionMessageUnknownToolCall],
  'ChatCompletionMessageToolCall',
);
/** What {@link ChatCompletionMessageToolCall} decodes to. */
export type ChatCompletionMessageToolCall = t.TypeOf<typeof ChatCompletionMessageToolCall>;

/**
 * The tool calls of an assistant message.
 *
 * @see ChatCompletionMessageToolCalls (components.schemas.ChatCompletionMessageToolCalls in stored-completions.yaml)
 */
export const ChatCompletionMessageToolCalls = t.array(ChatCompletionMessageToolCall, 'ChatCompletionMessageToolCalls');
/** What {@link ChatCompletionMessageToolCalls} decodes to. */
export interface ChatCompletionMessageToolCalls extends t.TypeOf<typeof ChatCompletionMessageToolCalls> {}
