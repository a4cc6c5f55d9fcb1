import { describeType, invalidRequest } from '../server/apiError';
import { choiceText, messageTail, renderBody, usageText } from './completionText';
import type { NewCompletion } from '../server/completionStore';
import { SENTENCES } from './corpus';
import { systemFingerprint, toolCallId } from './ids';
import { floatText, quote, topLevelNumberText } from '../server/jsonText';
import { parseMetadata, type Metadata } from '../server/metadata';
import { hashString, mulberry32 } from './prng';

/** What the create endpoint answers, and what it stores when asked to. */
export interface CreatedCompletion {
  /** The `chat.completion` response's JSON bytes. */
  readonly response: Buffer;
  /** The completion to store, or `undefined` without `store: true`. */
  readonly stored: NewCompletion | undefined;
}

/** Values the create endpoint takes from the server rather than the request. */
export interface CreateContext {
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  /** The `x-request-id` of the create request, recorded as the stored `request_id`. */
  readonly requestId: string;
}

type JsonObject = Readonly<Record<string, unknown>>;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const SERVICE_TIERS: Readonly<Record<string, string>> = {
  auto: 'default',
  default: 'default',
  flex: 'flex',
  scale: 'scale',
  priority: 'priority',
  // The API answers `priority` for requests that ask for `fast` (see `ServiceTier` in the spec).
  fast: 'priority',
};
/** Tokens the API counts per image part at low detail. */
const IMAGE_TOKENS = 85;

/**
 * Validates a create request and produces a deterministic canned reply.
 *
 * The reply is chosen by a hash of the last user message, so the same conversation always gets
 * the same answer. When the request has tools and `tool_choice` forces one (`required`, or a named
 * function), the reply is a call to it instead. Usage is estimated at about four characters per
 * token. Streaming and `n` are not emulated.
 *
 * @param request the parsed request body.
 * @param raw the body's text, to echo integers above 2^53 (`seed`) exactly.
 * @param context the id, time and request id to use.
 * @returns the response and, with `store: true`, the completion to store.
 * @throws APIError 400 naming the first invalid parameter.
 */
export function createCompletion(request: unknown, raw: string, context: CreateContext): CreatedCompletion {
  if (!isObject(request)) {
    throw invalidRequest(null, `Invalid request body: expected a JSON object, but got ${describeType(request)} instead.`);
  }
  const model = required(request, 'model');
  if (typeof model !== 'string' || model === '') {
    throw invalidRequest('model', `Invalid type for 'model': expected a non-empty string, but got ${describeType(model)} instead.`);
  }
  const messages = validMessages(required(request, 'messages'));
  if (request['stream'] === true) {
    throw invalidRequest('stream', "The emulator does not stream responses: set 'stream' to false or omit it.");
  }
  const store = optional(request, 'store', 'a boolean', (value) => typeof value === 'boolean') === true;
  const metadata: Metadata = request['metadata'] === undefined ? {} : parseMetadata(request['metadata']);
  const tools = optional(request, 'tools', 'an array', Array.isArray);
  const toolChoice = optional(request, 'tool_choice', 'a string or an object', (value) => typeof value === 'string' || isObject(value));
  const serviceTier = optional(request, 'service_tier', `one of ${Object.keys(SERVICE_TIERS).join(', ')}`, (value) =>
    typeof value === 'string' && Object.hasOwn(SERVICE_TIERS, value),
  );

  const seed = optional(request, 'seed', 'an integer', Number.isInteger);
  const user = optional(request, 'user', 'a string', (value) => typeof value === 'string');
  const float = (name: string, min: number, max: number): string => {
    const value = optional(request, name, `a number from ${min} to ${max}`, (v) => typeof v === 'number' && v >= min && v <= max);
    return typeof value === 'number' ? floatText(value) : 'null';
  };
  const echo = (name: string): string => (request[name] === undefined ? 'null' : JSON.stringify(request[name]));
  const sampling = {
    topP: float('top_p', 0, 1),
    temperature: float('temperature', 0, 2),
    presencePenalty: float('presence_penalty', -2, 2),
    frequencyPenalty: float('frequency_penalty', -2, 2),
  };

  const promptTokens = messages.reduce((sum, message) => sum + 4 + messageTokens(message), 3);
  const reply = cannedReply(messages, tools, toolChoice, context.requestId);
  const tier = quote(SERVICE_TIERS[typeof serviceTier === 'string' ? serviceTier : 'auto'] ?? 'default');
  const fingerprint = systemFingerprint(hashString(model));

  const response = Buffer.from(
    `{"id":"${context.id}","object":"chat.completion","created":${context.created},"model":${quote(model)}` +
    `,"choices":[${choiceText(0, reply.responseMessage, reply.finishReason, 'null')}]` +
    `,"usage":{"prompt_tokens":${promptTokens},"completion_tokens":${reply.tokens},"total_tokens":${promptTokens + reply.tokens}` +
    `,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0` +
    `,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}` +
    `,"service_tier":${tier},"system_fingerprint":${fingerprint}}`,
  );
  if (!store) return { response, stored: undefined };

  const parts = {
    identity: {
      id: context.id,
      model: quote(model),
      created: context.created,
      requestId: context.requestId,
      systemFingerprint: Buffer.from(fingerprint),
    },
    body: renderBody({
      ...sampling,
      toolChoice: echo('tool_choice'),
      usage: usageText(promptTokens, reply.tokens),
      seed: seed === undefined || seed === null ? 'null' : (topLevelNumberText(raw, 'seed') ?? String(seed)),
      inputUser: typeof user === 'string' ? quote(user) : 'null',
      serviceTier: tier,
      tools: echo('tools'),
      choices: `[${choiceText(0, reply.storedMessage, reply.finishReason, 'null')}]`,
      responseFormat: echo('response_format'),
    }),
  };
  return { response, stored: { model, metadata, parts, messageTails: messages.map(storedMessageTail) } };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function required(request: JsonObject, name: string): unknown {
  if (request[name] === undefined) throw invalidRequest(name, `Missing required parameter: '${name}'.`);
  return request[name];
}

/** A parameter that may be absent or `null`, and must otherwise pass `valid`. */
function optional(request: JsonObject, name: string, expected: string, valid: (value: unknown) => boolean): unknown {
  const value = request[name];
  if (value !== undefined && value !== null && !valid(value)) {
    throw invalidRequest(name, `Invalid value for '${name}': expected ${expected}, but got ${describeType(value)} instead.`);
  }
  return value;
}

function validMessages(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) {
    throw invalidRequest('messages', `Invalid type for 'messages': expected an array, but got ${describeType(value)} instead.`);
  }
  if (value.length === 0) {
    throw invalidRequest('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.");
  }
  return value.map((message: unknown, i) => {
    if (!isObject(message)) {
      throw invalidRequest(`messages[${i}]`, `Invalid type for 'messages[${i}]': expected an object, but got ${describeType(message)} instead.`);
    }
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw invalidRequest(
        `messages[${i}].role`,
        `Invalid value for 'messages[${i}].role': expected one of ${[...ROLES].join(', ')}, but got ${typeof role === 'string' ? `'${role}'` : describeType(role)} instead.`,
      );
    }
    const content = message['content'];
    if (content !== undefined && content !== null && typeof content !== 'string' && !(Array.isArray(content) && content.every(isObject))) {
      throw invalidRequest(
        `messages[${i}].content`,
        `Invalid type for 'messages[${i}].content': expected a string or an array of content parts, but got ${describeType(content)} instead.`,
      );
    }
    return message;
  });
}

function contentParts(message: JsonObject): JsonObject[] | undefined {
  const content = message['content'];
  return Array.isArray(content) ? content.filter(isObject) : undefined;
}

/** A message's text: the string content, or its text parts joined by newlines. */
function contentText(message: JsonObject): string | null {
  const content = message['content'];
  if (typeof content === 'string') return content;
  const parts = contentParts(message);
  if (parts === undefined) return null;
  return parts.flatMap((part) => (part['type'] === 'text' && typeof part['text'] === 'string' ? [part['text']] : [])).join('\n');
}

function messageTokens(message: JsonObject): number {
  const images = contentParts(message)?.filter((part) => part['type'] === 'image_url').length ?? 0;
  return Math.ceil((contentText(message)?.length ?? 0) / 4) + images * IMAGE_TOKENS;
}

function storedMessageTail(message: JsonObject): Buffer {
  const text = contentText(message);
  const name = message['name'];
  const parts = contentParts(message)?.filter((part) => part['type'] === 'text' || part['type'] === 'image_url');
  return messageTail(
    String(message['role']),
    text === null ? 'null' : quote(text),
    typeof name === 'string' ? quote(name) : 'null',
    parts === undefined ? 'null' : JSON.stringify(parts),
  );
}

interface CannedReply {
  /** The message as the create response shows it. */
  readonly responseMessage: string;
  /** The message as stored completions show it. */
  readonly storedMessage: string;
  readonly finishReason: string;
  readonly tokens: number;
}

function cannedReply(messages: readonly JsonObject[], tools: unknown, toolChoice: unknown, requestId: string): CannedReply {
  const forcedTool = Array.isArray(tools) ? forcedFunction(tools, toolChoice) : undefined;
  if (forcedTool !== undefined) {
    const calls = `[{"id":"${toolCallId(mulberry32(hashString(requestId)))}","type":"function","function":{"name":${quote(forcedTool)},"arguments":"{}"}}]`;
    return {
      responseMessage: `{"role":"assistant","content":null,"tool_calls":${calls},"refusal":null,"annotations":[]}`,
      storedMessage: `{"content":null,"role":"assistant","tool_calls":${calls},"function_call":null}`,
      finishReason: 'tool_calls',
      tokens: 10,
    };
  }
  const lastUser = [...messages].reverse().find((message) => message['role'] === 'user');
  const reply = SENTENCES[hashString(lastUser === undefined ? '' : (contentText(lastUser) ?? '')) % SENTENCES.length] ?? '';
  return {
    responseMessage: `{"role":"assistant","content":${quote(reply)},"refusal":null,"annotations":[]}`,
    storedMessage: `{"content":${quote(reply)},"role":"assistant","tool_calls":null,"function_call":null}`,
    finishReason: 'stop',
    tokens: Math.ceil(reply.length / 4),
  };
}

/** The function a `tool_choice` forces: the named one, or the first function tool for `required`. */
function forcedFunction(tools: readonly unknown[], toolChoice: unknown): string | undefined {
  const functionName = (value: unknown): string | undefined => {
    const fn = isObject(value) && value['type'] === 'function' ? value['function'] : undefined;
    return isObject(fn) && typeof fn['name'] === 'string' ? fn['name'] : undefined;
  };
  if (toolChoice === 'required') return tools.map(functionName).find((name) => name !== undefined);
  return functionName(toolChoice);
}
