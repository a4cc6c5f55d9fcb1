/** A message of a fine-tuning example, in the request form of the Chat Completions API. */
export interface FineTuneMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool' | 'function';
  /** A string, content parts, or `null` (an assistant turn of tool calls only, a function result without content). */
  readonly content: unknown;
  readonly name?: string;
  readonly tool_calls?: readonly unknown[];
  readonly tool_call_id?: string;
}

/** One line of a chat fine-tuning file. */
export interface FineTuneExample {
  readonly messages: readonly FineTuneMessage[];
  /** The tool definitions of the request, when it had some. */
  readonly tools?: readonly unknown[];
}

/** The example, or why there is none, as a clause that follows `Skipped 3 completions` (`whose first choice is a refusal`). */
export type FineTuneResult = { readonly example: FineTuneExample } | { readonly skipped: string };

/** The content part types each role may send in a fine-tuning example (`FineTuneChatRequestInput`). */
const PART_TYPES: Readonly<Record<'system' | 'user' | 'tool', ReadonlySet<string>>> = {
  system: new Set(['text']),
  user: new Set(['text', 'image_url', 'input_audio', 'file']),
  tool: new Set(['text']),
};

/**
 * Turns a stored completion and its input messages into an example of
 * OpenAI's chat fine-tuning format (`FineTuneChatRequestInput` in OpenAI's
 * OpenAPI description): the input messages in request form, then the first
 * choice's message as the assistant turn, and the request's `tools`. Every
 * example it returns is valid by that schema; a completion that cannot make
 * one is skipped, and the result says why.
 *
 * Each input message becomes the request message of its role:
 *
 * - `system` and `user`: `content` (a string, or the `content_parts` the
 *   request sent, when the role may send parts of those types) and `name`;
 * - `developer`: a `system` message, which is what the format calls the
 *   instructions that `developer` replaced in newer models;
 * - `assistant`: `content` and `tool_calls`, and `name`;
 * - `tool`: `content` and `tool_call_id`;
 * - `function`: `content` (or `null`) and `name`.
 *
 * Dropped, because the fine-tuning format has no place for them: the message
 * ids, `null` fields, the answer's `refusal`, `annotations`, `audio` and
 * `logprobs`, the deprecated `function_call` (its `functions` definitions
 * are not stored, so the call could not be trained on), choices after the
 * first, and everything about the request but its `tools` (model, sampling
 * parameters, usage, metadata).
 *
 * A completion makes no example when the schema has no place for one of its
 * messages: a system, user or tool message without content, a tool message
 * without `tool_call_id`, an assistant message with neither content nor tool
 * calls, a function message without `name`, a role the format does not know;
 * nor when its first choice is a refusal, holds neither content nor tool
 * calls, or is missing.
 *
 * ## Example
 * ```ts
 * fineTuneExample(
 *   { choices: [{ message: { role: 'assistant', content: 'Hi!', refusal: null } }], tools: null },
 *   [{ id: 'm-0', role: 'developer', content: 'Be brief.', name: null, content_parts: null }],
 * );
 * // { example: { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'assistant', content: 'Hi!' }] } }
 * ```
 *
 * @param completion The completion, parsed from the server's JSON.
 * @param messages Its input messages, parsed, in order.
 * @returns The example, or the reason there is none.
 */
export function fineTuneExample(completion: unknown, messages: readonly unknown[]): FineTuneResult {
  const input: FineTuneMessage[] = [];
  for (const message of messages) {
    const converted = requestMessage(message);
    if (typeof converted === 'string') return { skipped: converted };
    input.push(converted);
  }
  const choices = isRecord(completion) ? completion['choices'] : undefined;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const answer = isRecord(first) ? first['message'] : undefined;
  if (!isRecord(answer)) return { skipped: 'without a choice' };
  const content = typeof answer['content'] === 'string' ? answer['content'] : null;
  const toolCalls = present(answer, 'tool_calls', isNonEmptyArray);
  if (content === null && toolCalls.tool_calls === undefined) {
    return { skipped: isNonEmptyString(answer['refusal']) ? 'whose first choice is a refusal' : 'whose first choice has neither content nor tool calls' };
  }
  const tools = isRecord(completion) && isNonEmptyArray(completion['tools']) ? { tools: completion['tools'] } : {};
  return { example: { messages: [...input, { role: 'assistant', content, ...toolCalls }], ...tools } };
}

/** An input message in request form, or why the format has no place for it. */
function requestMessage(message: unknown): FineTuneMessage | string {
  if (!isRecord(message) || typeof message['role'] !== 'string') return 'with an input message without role';
  const role = message['role'];
  const name = present(message, 'name', isNonEmptyString);
  switch (role) {
    case 'system':
    case 'developer':
    case 'user': {
      const as = role === 'user' ? 'user' : 'system';
      const content = contentOf(message, PART_TYPES[as]);
      if (content === null) return `with an input ${role} message without content`;
      return { role: as, content, ...name };
    }
    case 'assistant': {
      const content = typeof message['content'] === 'string' ? message['content'] : null;
      const toolCalls = present(message, 'tool_calls', isNonEmptyArray);
      if (content === null && toolCalls.tool_calls === undefined) return 'with an input assistant message with neither content nor tool calls';
      return { role, content, ...name, ...toolCalls };
    }
    case 'tool': {
      const content = contentOf(message, PART_TYPES.tool);
      if (content === null) return 'with an input tool message without content';
      const id = present(message, 'tool_call_id', isNonEmptyString);
      if (id.tool_call_id === undefined) return 'with an input tool message without tool_call_id';
      return { role, content, ...id };
    }
    case 'function': {
      if (name.name === undefined) return 'with an input function message without name';
      return { role, content: typeof message['content'] === 'string' ? message['content'] : null, ...name };
    }
    default:
      return `with an input message of role ${JSON.stringify(role)}, which fine-tuning does not take`;
  }
}

/** The message's content parts when the role may send all of them, else its string content; `null` when neither. */
function contentOf(message: Readonly<Record<string, unknown>>, types: ReadonlySet<string>): unknown {
  const parts = message['content_parts'];
  if (isNonEmptyArray(parts) && parts.every((part) => isRecord(part) && typeof part['type'] === 'string' && types.has(part['type']))) return parts;
  return typeof message['content'] === 'string' ? message['content'] : null;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** `{ [key]: value }` when `record[key]` passes `check`, else `{}`: for spreading only the fields that hold a value. */
function present<K extends string, V>(
  record: Readonly<Record<string, unknown>>,
  key: K,
  check: (value: unknown) => value is V,
): { [P in K]?: V } {
  const value = record[key];
  return check(value) ? ({ [key]: value } as { [P in K]?: V }) : {};
}
