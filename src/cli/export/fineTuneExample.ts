/** A message of a fine-tuning example, in the request form of the Chat Completions API. */
export interface FineTuneMessage {
  readonly role: string;
  /** A string, the input's content parts, or `null` (an assistant turn of tool calls only). */
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

/** The example, or why there is none, as a clause that follows `Skipped 3 completions` (`whose first choice has …`). */
export type FineTuneResult = { readonly example: FineTuneExample } | { readonly skipped: string };

/**
 * Turns a stored completion and its input messages into an example of
 * OpenAI's chat fine-tuning format: the input messages in request form, then
 * the first choice's message as the assistant turn, and the request's `tools`.
 *
 * Each input message keeps `role` and `content`, and `name`, `tool_calls`
 * and `tool_call_id` when they hold a value; when it has `content_parts`
 * (the parts the request sent: text and images), they become its `content`.
 * The assistant turn keeps `content` and `tool_calls`.
 *
 * Dropped, because the fine-tuning format has no place for them: the message
 * ids, `null` fields, the answer's `refusal`, `annotations`, `audio` and
 * `logprobs`, the deprecated `function_call` (its `functions` definitions
 * are not stored, so the call could not be trained on), choices after the
 * first, and everything about the request but its `tools` (model, sampling
 * parameters, usage, metadata).
 *
 * A completion whose first choice has neither `content` nor `tool_calls` (a
 * refusal), or that has no choice, makes no example: the result says why.
 *
 * ## Example
 * ```ts
 * fineTuneExample(
 *   { choices: [{ message: { role: 'assistant', content: 'Hi!', refusal: null } }], tools: null },
 *   [{ id: 'm-0', role: 'user', content: 'Hello', name: null, content_parts: null }],
 * );
 * // { example: { messages: [{ role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi!' }] } }
 * ```
 *
 * @param completion The completion, parsed from the server's JSON.
 * @param messages Its input messages, parsed, in order.
 * @returns The example, or the reason there is none.
 */
export function fineTuneExample(completion: unknown, messages: readonly unknown[]): FineTuneResult {
  const input: FineTuneMessage[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || typeof message['role'] !== 'string') return { skipped: `whose input message ${index} has no role` };
    const parts = message['content_parts'];
    input.push({
      role: message['role'],
      content: isNonEmptyArray(parts) ? parts : (message['content'] ?? null),
      ...present(message, 'name', isNonEmptyString),
      ...present(message, 'tool_calls', isNonEmptyArray),
      ...present(message, 'tool_call_id', isNonEmptyString),
    });
  }
  const choices = isRecord(completion) ? completion['choices'] : undefined;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const answer = isRecord(first) ? first['message'] : undefined;
  if (!isRecord(answer)) return { skipped: 'without a choice' };
  const content = typeof answer['content'] === 'string' ? answer['content'] : null;
  const toolCalls = present(answer, 'tool_calls', isNonEmptyArray);
  if (content === null && toolCalls.tool_calls === undefined) {
    return { skipped: 'whose first choice has neither content nor tool calls (a refusal?)' };
  }
  const tools = isRecord(completion) && isNonEmptyArray(completion['tools']) ? { tools: completion['tools'] } : {};
  return { example: { messages: [...input, { role: 'assistant', content, ...toolCalls }], ...tools } };
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
