/**
 * The raw material of the seeded history: models, metadata vocabulary, sentences, tools.
 *
 * Text is chosen to break naive clients: emoji with ZWJ sequences and skin tones, CJK, RTL scripts,
 * combining marks, astral-plane letters, quotes, backslashes, control characters and U+2028.
 */

/** Models of the seeded history, the first ones more frequent (see `seeded-history.ts`). */
export const SEEDED_MODELS = [
  'gpt-4o-mini',
  'gpt-4o-2024-08-06',
  'gpt-5.4',
  'gpt-4.1-2025-04-14',
  'o3-mini',
  'gpt-4o-mini-2024-07-18',
  'o4-mini-2025-04-16',
] as const;

/**
 * Seeded metadata: each key is present or absent, and takes one value of its list. The keys and
 * values include spaces, `&`, `=`, `+`, `/` and non-ASCII text so that filters must be
 * percent-decoded correctly to match.
 */
export const METADATA_VOCABULARY: readonly (readonly [key: string, values: readonly string[]])[] = [
  ['user', Array.from({ length: 48 }, (_, i) => `user_${String(i + 1).padStart(4, '0')}`)],
  ['env', ['prod', 'staging', 'dev']],
  ['feature', ['chat', 'search', 'summarize', 'translate', 'code-review', 'support bot', 'café ☕', '検索', 'a&b=c+d', 'ml/infra']],
  ['cost center', ['R&D', 'ops', 'données', '100%']],
];

/** Sentences for message contents and assistant replies. */
export const SENTENCES: readonly string[] = [
  'Mind of circuits hum,  \nLearning patterns in silence—  \nFuture\'s quiet spark.',
  'Sure! Here is a short summary of the document you shared.',
  'The capital of Australia is Canberra, not Sydney.',
  'Deployed to production 🚀✅ — all checks green 👩🏽‍💻👨‍👩‍👧‍👦.',
  '人工智能正在改变我们与计算机互动的方式。',
  '機械学習のモデルを訓練しています。少々お待ちください。',
  '안녕하세요! 무엇을 도와드릴까요?',
  'مرحبا بالعالم — الذكاء الاصطناعي يتعلم بسرعة.',
  'שלום עולם! זה משפט בעברית עם מספר 42 באמצע.',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǵ̠̰͑o̱͚ͫ text stacks combining marks; cafe\u0301 is decomposed.',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝔣𝔯𝔞𝔨𝔱𝔲𝔯 lives outside the Basic Multilingual Plane.',
  'He said "quote me" and left a back\\slash, a tab\there and a line\u2028separator.',
  'Control characters \u0001\u001f must be escaped in JSON.',
  'Here is the code:\n```ts\nconst answer = 42;\nconsole.log(`${answer}`);\n```',
  'I can\'t help with that request.',
  'नमस्ते, मैं आपकी कैसे मदद कर सकता हूँ?',
  'Ελληνικά: η γρήγορη καφέ αλεπού.',
  'Temperature today: 23 °C, humidity 60 %, wind 12 km/h.',
  'The quick brown fox jumps over the lazy dog.',
  'Step 1: collect the data. Step 2: clean it. Step 3: train the model.',
  '<script>alert("not html")</script> & other markup stays text.',
  'ok',
];

/** Long contents, built once: one of them makes a completion 10 to 20 kilobytes. */
export const LONG_TEXTS: readonly string[] = [
  `Chapter 1.\n\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(120)}`,
  `長文テスト：${'吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。'.repeat(150)}`,
  `${'🙂🙃😉 emoji soup 🧪🔬🧬 '.repeat(300)}`,
];

/** Names for `name` on seeded input messages. */
export const SPEAKER_NAMES: readonly string[] = ['alice', 'bob', 'build_bot', 'Zoë'];

/** System prompts for the seeded history. */
export const SYSTEM_PROMPTS: readonly string[] = [
  'You are a helpful assistant.',
  'You are a terse assistant. Answer in one sentence.',
  'Réponds en français, s\'il te plaît.',
  'You translate between English and 日本語.',
];

/** Image URLs for content parts of seeded user messages. */
export const IMAGE_URLS: readonly string[] = [
  'https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg',
  'https://example.com/images/cat%20on%20a%20mat.png?size=large&v=2',
];

/** A function tool of the seeded history: its definition and example arguments for a call. */
export interface FunctionToolSample {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly arguments: readonly string[];
}

/** The function tools of the seeded history, offered in `tools` and called in `tool_calls`. */
export const FUNCTION_TOOLS: readonly FunctionToolSample[] = [
  {
    name: 'get_weather',
    description: 'Get the current weather for a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city'],
      additionalProperties: false,
    },
    arguments: ['{"city":"Zürich","unit":"celsius"}', '{"city":"東京"}', '{"city":"São Paulo","unit":"fahrenheit"}'],
  },
  {
    name: 'search_docs',
    description: 'Full-text search over the product documentation.',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer' } },
      required: ['query'],
    },
    arguments: ['{"query":"rate limits","limit":5}', '{"query":"\\"exact phrase\\" AND emoji 🎉"}'],
  },
  {
    name: 'create_ticket',
    description: 'Open a support ticket.',
    parameters: {
      type: 'object',
      properties: { title: { type: 'string' }, priority: { type: 'string' } },
      required: ['title'],
    },
    // The model does not always produce valid JSON; clients must cope.
    arguments: ['{"title":"Login broken","priority":"high"}', '{"title": "truncated'],
  },
];

/** A custom (free-form input) tool of the seeded history. */
export const CUSTOM_TOOL = {
  name: 'run_sql',
  description: 'Run a read-only SQL query.',
  inputs: ['SELECT count(*) FROM orders WHERE status = \'open\';', 'SELECT name FROM users WHERE name LIKE \'Zo%\';'],
} as const;
