import { quote } from '../server/jsonText';

/**
 * The JSON texts of the API's objects, as UTF-8 bytes assembled from cached pieces.
 *
 * A page is built by pushing pieces into one array and concatenating it once: no object is
 * stringified and no string transcoded per request, because the long, non-ASCII contents are
 * encoded to bytes when they are rendered (at seeding, creation or update), and only the short
 * ASCII values that differ per completion (id, request id, `created`) are encoded on the fly.
 *
 * Field order follows the spec's examples, so a response reads like the real one. Ids are base62
 * (completions) or hex (requests) by construction, so they are written between quotes without
 * escaping.
 */

/** What the stored completion echoes of its request and says of its output; every value is JSON text. */
export interface CompletionBody {
  readonly toolChoice: string;
  readonly usage: string;
  readonly seed: string;
  readonly topP: string;
  readonly temperature: string;
  readonly presencePenalty: string;
  readonly frequencyPenalty: string;
  readonly inputUser: string;
  readonly serviceTier: string;
  readonly tools: string;
  readonly choices: string;
  readonly responseFormat: string;
}

/** A {@link CompletionBody} rendered into the three stretches of bytes between per-completion values. */
export interface RenderedBody {
  /** From after `request_id` to `"system_fingerprint":`. */
  readonly beforeFingerprint: Buffer;
  /** From after the fingerprint to `"metadata":`. */
  readonly beforeMetadata: Buffer;
  /** From after the metadata to the closing brace. */
  readonly tail: Buffer;
}

/** The values that differ per stored completion even when they share a body. */
export interface CompletionIdentity {
  readonly id: string;
  /** JSON text. */
  readonly model: string;
  readonly created: number;
  readonly requestId: string;
  /** JSON text, as bytes: it is shared by many completions. */
  readonly systemFingerprint: Buffer;
}

/** A stored completion without its metadata, which updates replace. */
export interface CompletionParts {
  readonly identity: CompletionIdentity;
  readonly body: RenderedBody;
}

/**
 * Renders a body once, for any number of completions.
 *
 * @param body the field values.
 * @returns the stretches of bytes between per-completion values.
 */
export function renderBody(body: CompletionBody): RenderedBody {
  return {
    beforeFingerprint: Buffer.from(
      `,"tool_choice":${body.toolChoice},"usage":${body.usage},"seed":${body.seed},"top_p":${body.topP}` +
        `,"temperature":${body.temperature},"presence_penalty":${body.presencePenalty}` +
        `,"frequency_penalty":${body.frequencyPenalty},"system_fingerprint":`,
    ),
    beforeMetadata: Buffer.from(`,"input_user":${body.inputUser},"service_tier":${body.serviceTier},"tools":${body.tools},"metadata":`),
    tail: Buffer.from(`,"choices":${body.choices},"response_format":${body.responseFormat}}`),
  };
}

/**
 * Pushes a stored completion, shaped like the list endpoint's items, as pieces.
 *
 * @param chunks the pieces of the response being built.
 * @param parts identity and rendered body.
 * @param metadata the metadata's JSON bytes.
 */
export function pushCompletion(chunks: Buffer[], { identity, body }: CompletionParts, metadata: Buffer): void {
  chunks.push(
    Buffer.from(
      `{"object":"chat.completion","id":"${identity.id}","model":${identity.model},"created":${identity.created}` +
        `,"request_id":"${identity.requestId}"`,
    ),
    body.beforeFingerprint,
    identity.systemFingerprint,
    body.beforeMetadata,
    metadata,
    body.tail,
  );
}

/**
 * A stored completion as one buffer, for completions whose bytes are kept.
 *
 * @param parts identity and rendered body.
 * @param metadata the metadata's JSON bytes.
 * @returns the JSON bytes.
 */
export function completionBytes(parts: CompletionParts, metadata: Buffer): Buffer {
  const chunks: Buffer[] = [];
  pushCompletion(chunks, parts, metadata);
  return Buffer.concat(chunks);
}

/**
 * One element of `choices`.
 *
 * @param index the choice's index.
 * @param message the message's JSON text.
 * @param finishReason e.g. `stop`, `tool_calls`.
 * @param logprobs the logprobs object's JSON text, or `null`.
 * @returns the choice's JSON text.
 */
export function choiceText(index: number, message: string, finishReason: string, logprobs: string): string {
  return `{"index":${index},"message":${message},"finish_reason":${quote(finishReason)},"logprobs":${logprobs}}`;
}

/**
 * The `usage` object as stored completions show it.
 *
 * @param promptTokens tokens in the input.
 * @param completionTokens tokens in the output, reasoning included.
 * @param reasoningTokens hidden reasoning tokens, or `undefined` to omit the details objects, as
 *   most stored completions do.
 * @returns the JSON text.
 */
export function usageText(promptTokens: number, completionTokens: number, reasoningTokens?: number): string {
  const totals = `"total_tokens":${promptTokens + completionTokens},"completion_tokens":${completionTokens},"prompt_tokens":${promptTokens}`;
  if (reasoningTokens === undefined) return `{${totals}}`;
  return (
    `{${totals},"completion_tokens_details":{"reasoning_tokens":${reasoningTokens},"audio_tokens":0,` +
    `"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}}`
  );
}

/**
 * Everything of a messages-endpoint item after its id, rendered once per message.
 *
 * @param role the input message's role.
 * @param content the content's JSON text (a string literal or `null`).
 * @param name the name's JSON text, or `null`.
 * @param contentParts the content parts array's JSON text, or `null` when content was a string.
 * @returns the JSON bytes from `,"role"` to the closing brace.
 */
export function messageTail(role: string, content: string, name: string, contentParts: string): Buffer {
  return Buffer.from(`,"role":${quote(role)},"content":${content},"name":${name},"content_parts":${contentParts}}`);
}

/**
 * Pushes one item of the messages endpoint.
 *
 * @param chunks the pieces of the response being built.
 * @param messageId `${completionId}-${position}`.
 * @param tail from {@link messageTail}.
 */
export function pushMessage(chunks: Buffer[], messageId: string, tail: Buffer): void {
  chunks.push(Buffer.from(`{"id":"${messageId}"`), tail);
}

const LIST_START = Buffer.from('{"object":"list","data":[');
const COMMA = Buffer.from(',');

/**
 * Builds a list envelope, `{"object":"list","data":[…],"first_id":…,"last_id":…,"has_more":…}`,
 * around items pushed by `pushItem`.
 *
 * @param items the page's items (handles, positions…), in order.
 * @param idOf an item's id, for `first_id` and `last_id`.
 * @param pushItem pushes an item's JSON bytes.
 * @param hasMore whether another page follows.
 * @returns the JSON bytes; `first_id` and `last_id` are `null` on an empty page.
 */
export function listBytes<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  pushItem: (chunks: Buffer[], item: T) => void,
  hasMore: boolean,
): Buffer {
  const chunks = [LIST_START];
  items.forEach((item, i) => {
    if (i > 0) chunks.push(COMMA);
    pushItem(chunks, item);
  });
  const first = items[0];
  const last = items[items.length - 1];
  const firstId = first === undefined ? 'null' : `"${idOf(first)}"`;
  const lastId = last === undefined ? 'null' : `"${idOf(last)}"`;
  chunks.push(Buffer.from(`],"first_id":${firstId},"last_id":${lastId},"has_more":${hasMore}}`));
  return Buffer.concat(chunks);
}
