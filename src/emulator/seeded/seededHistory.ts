import {
  CUSTOM_TOOL,
  FUNCTION_TOOLS,
  IMAGE_URLS,
  LONG_TEXTS,
  METADATA_VOCABULARY,
  SEEDED_MODELS,
  SENTENCES,
  SPEAKER_NAMES,
  SYSTEM_PROMPTS,
} from './corpus';
import { choiceText, messageTail, renderBody, usageText, type CompletionParts, type RenderedBody } from './completionText';
import { seededCompletionId, seededRequestId, systemFingerprint, toolCallId } from './ids';
import { quote } from '../server/jsonText';
import { hash32, mulberry32, type Rng } from './prng';
import { packMetadata } from './seededMetadata';

/**
 * The seeded history: `count` completions that are a pure function of `(seed, index)`.
 *
 * What list filters and ordering read on every request is computed up front into typed arrays, a
 * few bytes per completion: `created`, the model and the packed metadata. The rest of a completion
 * (contents, usage, tools, logprobs, input messages) is one of a pool of bodies, rendered to JSON
 * text once at seeding and chosen per index by a hash; the per-completion values (id, request id,
 * fingerprint) are derived from the index when a response needs them. A million completions
 * therefore cost a few megabytes, and a page is a concatenation of cached bytes.
 */
export interface SeededHistory {
  readonly seed: number;
  readonly count: number;
  /** Unix seconds per index, non-decreasing, with runs of equal values. */
  readonly created: Uint32Array;
  /** Index into {@link SEEDED_MODELS} per completion. */
  readonly models: Uint8Array;
  /**
   * Packed metadata per completion (see `seeded-metadata.ts`). The store overwrites an entry with
   * `RECORD_METADATA` when that completion's metadata is replaced.
   */
  readonly metadataCodes: Uint32Array;
  /** The rendered bodies completions share. */
  readonly bodies: readonly SeededBody[];
}

/** A body of the pool: the rendered text for chat and for reasoning models, and the input messages. */
interface SeededBody {
  readonly chat: RenderedBody;
  /** The same body with `usage` counting hidden reasoning tokens. */
  readonly reasoning: RenderedBody;
  /** Per input message, its bytes after the id (see `messageTail`). */
  readonly messageTails: readonly Buffer[];
}

/** The first seeded completion's `created`: 2024-01-01T00:00:00Z. */
const HISTORY_START_SECONDS = 1_704_067_200;

/** Enough bodies that a page rarely repeats one, few enough to render in a few milliseconds. */
const BODY_POOL_SIZE = 1024;

// Independent streams: changing how one part is drawn must not shift the others.
const CREATED_STREAM = 0xc4ea7ed;
const MODEL_STREAM = 0x30de1;
const METADATA_STREAM = 0x3e7a;
const BODY_STREAM = 0xb0d1e5;
const BODY_CHOICE_STREAM = 0xb0d1;
const LOGPROBS_STREAM = 0x109b;

const TIE_PERCENT = 20;
const MAX_GAP_SECONDS = 45;
/** Cumulative weights (out of 100) of {@link SEEDED_MODELS}, most used first. */
const MODEL_WEIGHTS: readonly number[] = [30, 50, 65, 77, 86, 94, 100];
/** Per key of {@link METADATA_VOCABULARY}: the chance (out of 256) that it is present. */
const METADATA_PRESENCE: readonly number[] = [180, 200, 128, 40];
const EMPTY_METADATA_PERCENT = 15;
const MODEL_JSONS = SEEDED_MODELS.map(quote);
const REASONING_MODELS = SEEDED_MODELS.map((model) => /^(o\d|gpt-5)/.test(model));

/**
 * Seeds the history: the per-completion arrays and the body pool.
 *
 * @param seed any 32-bit integer.
 * @param count how many completions.
 * @returns the history.
 */
export function seedHistory(seed: number, count: number): SeededHistory {
  const created = new Uint32Array(count);
  const models = new Uint8Array(count);
  const metadataCodes = new Uint32Array(count);
  const picks = METADATA_VOCABULARY.map(() => -1);
  let seconds = HISTORY_START_SECONDS;
  for (let index = 0; index < count; index++) {
    const gap = hash32(seed, index, CREATED_STREAM) % 100;
    if (index > 0 && gap >= TIE_PERCENT) seconds += 1 + (gap % MAX_GAP_SECONDS);
    created[index] = seconds;

    const modelDraw = hash32(seed, index, MODEL_STREAM) % 100;
    let model = 0;
    while ((MODEL_WEIGHTS[model] ?? 100) <= modelDraw) model++;
    models[index] = model;

    const presence = hash32(seed, index, METADATA_STREAM);
    if (presence % 100 >= EMPTY_METADATA_PERCENT) {
      const choice = hash32(presence, index, METADATA_STREAM);
      for (let k = 0; k < picks.length; k++) {
        const present = ((presence >>> (8 * k)) & 0xff) < (METADATA_PRESENCE[k] ?? 0);
        picks[k] = present ? ((choice >>> (8 * k)) & 0xff) % (METADATA_VOCABULARY[k]?.[1].length ?? 1) : -1;
      }
      metadataCodes[index] = packMetadata(picks);
    }
  }
  const bodies = Array.from({ length: Math.min(count, BODY_POOL_SIZE) }, (_, k) => seededBody(seed, k));
  return { seed, count, created, models, metadataCodes, bodies };
}

/** A JSON string literal and its length in UTF-16 units (for token estimates). */
interface Text {
  readonly json: string;
  readonly chars: number;
}

const textOf = (raw: string): Text => ({ json: quote(raw), chars: raw.length });
const SENTENCE_TEXTS = SENTENCES.map((raw, index) => ({ ...textOf(raw), index }));
const LONG_TEXT_TEXTS = LONG_TEXTS.map(textOf);
const SYSTEM_TEXTS = SYSTEM_PROMPTS.map(textOf);
const NAME_JSONS = SPEAKER_NAMES.map(quote);
const IMAGE_URL_JSONS = IMAGE_URLS.map(quote);

function sentences(rng: Rng, min: number, max: number): Text {
  const n = min + rng.int(max - min + 1);
  const parts: string[] = [];
  let chars = n - 1;
  for (let i = 0; i < n; i++) {
    const text = rng.pick(SENTENCE_TEXTS);
    parts.push(text.json.slice(1, -1));
    chars += text.chars;
  }
  return { json: `"${parts.join(' ')}"`, chars };
}

interface SeededMessage {
  readonly role: string;
  readonly content: Text;
  readonly name: string;
  readonly contentParts: string;
}

function planMessages(rng: Rng): SeededMessage[] {
  const messages: SeededMessage[] = [];
  if (rng.chance(0.35)) {
    const role = rng.chance(0.3) ? 'developer' : 'system';
    messages.push({ role, content: rng.pick(SYSTEM_TEXTS), name: 'null', contentParts: 'null' });
  }
  const turns = 1 + rng.int(3);
  for (let turn = 0; turn < turns; turn++) {
    if (turn > 0) messages.push({ role: 'assistant', content: sentences(rng, 1, 2), name: 'null', contentParts: 'null' });
    const name = rng.chance(0.1) ? rng.pick(NAME_JSONS) : 'null';
    if (rng.chance(0.08)) {
      const content = sentences(rng, 1, 1);
      const contentParts =
        `[{"type":"text","text":${content.json}},` +
        `{"type":"image_url","image_url":{"url":${rng.pick(IMAGE_URL_JSONS)},"detail":"auto"}}]`;
      messages.push({ role: 'user', content, name, contentParts });
    } else {
      const content = rng.chance(0.01) ? rng.pick(LONG_TEXT_TEXTS) : sentences(rng, 1, 3);
      messages.push({ role: 'user', content, name, contentParts: 'null' });
    }
  }
  return messages;
}

/** About four characters per token, plus the API's per-message and per-image overheads. */
function promptTokens(messages: readonly SeededMessage[]): number {
  return messages.reduce(
    (sum, message) => sum + 4 + Math.ceil(message.content.chars / 4) + (message.contentParts === 'null' ? 0 : 85),
    3,
  );
}

const FUNCTION_TOOL_DEFINITIONS = FUNCTION_TOOLS.map(({ name, description, parameters }) => ({
  type: 'function',
  function: { name, description, parameters },
}));
const FUNCTION_TOOLS_JSON = JSON.stringify(FUNCTION_TOOL_DEFINITIONS);
const ALL_TOOLS_JSON = JSON.stringify([
  ...FUNCTION_TOOL_DEFINITIONS,
  { type: 'custom', custom: { name: CUSTOM_TOOL.name, description: CUSTOM_TOOL.description } },
]);
const FUNCTION_CALLS = FUNCTION_TOOLS.flatMap((tool) =>
  tool.arguments.map((args) => ({
    json: `"type":"function","function":{"name":${quote(tool.name)},"arguments":${quote(args)}}`,
    chars: args.length,
  })),
);
const CUSTOM_CALLS = CUSTOM_TOOL.inputs.map((input) => ({
  json: `"type":"custom","custom":{"name":${quote(CUSTOM_TOOL.name)},"input":${quote(input)}}`,
  chars: input.length,
}));
const REFUSAL_JSON = quote("I'm sorry, but I can't help with that request.");

/** The logprobs object of a reply that is exactly one sentence: one entry per word-ish token. */
function logprobsOfSentence(sentence: number): string {
  const tokens = SENTENCES[sentence]?.match(/\s*\S+/gu) ?? [];
  const entry = (token: string, logprob: number) => ({ token, logprob, bytes: [...Buffer.from(token, 'utf8')] });
  const content = tokens.map((token, position) => {
    const logprob = -(hash32(sentence, position, LOGPROBS_STREAM) % 2_000_000) / 1_000_000;
    const alternative = token.toUpperCase() === token ? `${token}!` : token.toUpperCase();
    return { ...entry(token, logprob), top_logprobs: [entry(token, logprob), entry(alternative, logprob - 2.5)] };
  });
  return JSON.stringify({ content, refusal: null });
}

/** The assistant's side of a body. */
interface Reply {
  readonly message: string;
  readonly finishReason: string;
  readonly logprobs: string;
  readonly completionTokens: number;
  readonly tools: string;
  readonly toolChoice: string;
}

/**
 * Most stored messages omit `refusal` altogether, as the spec's examples do; some carry the newer
 * full shape with `refusal` and `annotations`.
 */
function assistantMessage(rng: Rng, content: string, toolCalls: string, refusal = 'null'): string {
  return refusal !== 'null' || rng.chance(0.2)
    ? `{"content":${content},"refusal":${refusal},"role":"assistant","tool_calls":${toolCalls},"function_call":null,"annotations":[]}`
    : `{"content":${content},"role":"assistant","tool_calls":${toolCalls},"function_call":null}`;
}

const NO_TOOLS = { tools: 'null', toolChoice: 'null' };

function seededReply(rng: Rng): Reply {
  const kind = rng.next();
  const toolsJson = rng.chance(0.3) ? ALL_TOOLS_JSON : FUNCTION_TOOLS_JSON;
  if (kind < 0.12) {
    const calls: string[] = [];
    let chars = 0;
    const callCount = rng.chance(0.2) ? 2 : 1;
    for (let i = 0; i < callCount; i++) {
      const call = toolsJson === ALL_TOOLS_JSON && rng.chance(0.4) ? rng.pick(CUSTOM_CALLS) : rng.pick(FUNCTION_CALLS);
      calls.push(`{"id":"${toolCallId(rng)}",${call.json}}`);
      chars += call.chars;
    }
    return {
      message: assistantMessage(rng, 'null', `[${calls.join(',')}]`),
      finishReason: 'tool_calls',
      logprobs: 'null',
      completionTokens: 10 * callCount + Math.ceil(chars / 4),
      tools: toolsJson,
      toolChoice: rng.pick(['"auto"', '"required"', 'null']),
    };
  }
  const textReply = (text: Text, finishReason: string, tools = NO_TOOLS, logprobs = 'null'): Reply => ({
    ...tools,
    message: assistantMessage(rng, text.json, 'null'),
    finishReason,
    logprobs,
    completionTokens: Math.ceil(text.chars / 4),
  });
  if (kind < 0.14) {
    const message = assistantMessage(rng, 'null', 'null', REFUSAL_JSON);
    return { ...NO_TOOLS, message, finishReason: 'stop', logprobs: 'null', completionTokens: 12 };
  }
  if (kind < 0.17) return textReply(rng.pick(LONG_TEXT_TEXTS), 'length');
  const tools = rng.chance(0.1) ? { tools: toolsJson, toolChoice: rng.pick(['"none"', '"auto"', 'null']) } : NO_TOOLS;
  if (rng.chance(0.1)) {
    const sentence = rng.pick(SENTENCE_TEXTS);
    return textReply(sentence, 'stop', tools, logprobsOfSentence(sentence.index));
  }
  return textReply(rng.chance(0.01) ? rng.pick(LONG_TEXT_TEXTS) : sentences(rng, 1, 4), 'stop', tools);
}

// Seeds as the API shows them: often absent, sometimes small, sometimes above 2^53 (the spec's
// example uses 4944116822809979520), which a JavaScript number would round. These are written
// as digits, never through a number.
const SPEC_EXAMPLE_SEED = '4944116822809979520';

function seedText(rng: Rng): string {
  const draw = rng.next();
  if (draw < 0.45) return 'null';
  if (draw < 0.7) return String(rng.int(100_000));
  if (draw < 0.85) return SPEC_EXAMPLE_SEED;
  // At least 2^53 and below 2^63: a high word of 21 to 31 bits.
  const high = BigInt(0x200000 + rng.int(0x7fffffff - 0x200000));
  const low = BigInt(rng.int(0x100000000));
  return ((high << 32n) | low).toString();
}

function seededBody(seed: number, k: number): SeededBody {
  const rng = mulberry32(hash32(seed, k, BODY_STREAM));
  const messages = planMessages(rng);
  const prompt = promptTokens(messages);
  const reply = seededReply(rng);
  const reasoningTokens = 64 * (1 + rng.int(12));
  const body = {
    toolChoice: reply.toolChoice,
    usage: usageText(prompt, reply.completionTokens),
    seed: seedText(rng),
    topP: rng.pick(['1.0', '1.0', '1.0', '0.9', '0.95']),
    temperature: rng.pick(['1.0', '1.0', '1.0', '0.7', '0.2', '0.0']),
    presencePenalty: rng.pick(['0.0', '0.0', '0.0', '0.5']),
    frequencyPenalty: rng.pick(['0.0', '0.0', '0.0', '0.3']),
    inputUser: rng.chance(0.2) ? quote(`user-${rng.int(10_000)}`) : 'null',
    serviceTier: rng.pick(['"default"', '"default"', '"default"', '"default"', '"flex"', '"priority"', '"scale"']),
    tools: reply.tools,
    choices: `[${choiceText(0, reply.message, reply.finishReason, reply.logprobs)}]`,
    responseFormat: rng.pick([
      'null',
      'null',
      'null',
      'null',
      'null',
      '{"type":"text"}',
      '{"type":"json_object"}',
      '{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object",' +
        '"properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}}}',
    ]),
  };
  const chat = renderBody(body);
  const reasoningUsage = usageText(prompt, reply.completionTokens + reasoningTokens, reasoningTokens);
  return {
    chat,
    reasoning: { ...chat, beforeFingerprint: renderBody({ ...body, usage: reasoningUsage }).beforeFingerprint },
    messageTails: messages.map((message) => messageTail(message.role, message.content.json, message.name, message.contentParts)),
  };
}

/** Per `(model, week)`: backends are redeployed every so often, and the fingerprint changes with them. */
const fingerprints = new Map<number, Buffer>();

function fingerprintOf(model: number, created: number): Buffer {
  const week = Math.floor(created / 604_800);
  const key = week * SEEDED_MODELS.length + model;
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = Buffer.from(systemFingerprint(hash32(model, week, 0)));
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}

function bodyOf(history: SeededHistory, index: number): SeededBody {
  // `bodies` is non-empty whenever an index exists (see seedHistory).
  return history.bodies[hash32(history.seed, index, BODY_CHOICE_STREAM) % history.bodies.length] as SeededBody;
}

/**
 * The seeded completion at `index`, without its metadata.
 *
 * @param history the seeded history.
 * @param index the completion's index, below `history.count`.
 * @returns its identity and rendered body.
 */
export function seededCompletionParts(history: SeededHistory, index: number): CompletionParts {
  const model = history.models[index] ?? 0;
  const created = history.created[index] ?? HISTORY_START_SECONDS;
  const body = bodyOf(history, index);
  return {
    identity: {
      id: seededCompletionId(history.seed, index),
      model: MODEL_JSONS[model] ?? 'null',
      created,
      requestId: seededRequestId(history.seed, index),
      systemFingerprint: fingerprintOf(model, created),
    },
    body: REASONING_MODELS[model] === true ? body.reasoning : body.chat,
  };
}

/**
 * The input messages of the seeded completion at `index`, as messages-endpoint items without ids.
 *
 * @param history the seeded history.
 * @param index the completion's index, below `history.count`.
 * @returns per message, in input order, its bytes after the id.
 */
export function seededMessageTails(history: SeededHistory, index: number): readonly Buffer[] {
  return bodyOf(history, index).messageTails;
}
