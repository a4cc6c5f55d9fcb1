import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionDeleted, ChatCompletionMessage } from '../../src';

/**
 * The official SDK's types are narrower than ours (our enums are open:
 * `finish_reason: 'stop' | … | (string & {})`), so every value typed by the
 * SDK is one of ours: a helper typed with ours takes both. `npm run
 * typecheck` holds the proof; jest only runs the calls.
 */
type Assignable<From, To> = [From] extends [To] ? true : false;

const sdkCompletionIsOurs: Assignable<OpenAI.Chat.Completions.ChatCompletion, ChatCompletion> = true;
const sdkStoreMessageIsOurs: Assignable<OpenAI.Chat.Completions.ChatCompletionStoreMessage, ChatCompletionMessage> = true;
const sdkDeletedIsOurs: Assignable<OpenAI.Chat.Completions.ChatCompletionDeleted, ChatCompletionDeleted> = true;
// The other way fails, by design: ours admits reasons the SDK's enums do not name yet.
const oursIsSdkCompletion: Assignable<ChatCompletion, OpenAI.Chat.Completions.ChatCompletion> = false;

/** A helper typed by our type: it takes the SDK's values as they are. */
function firstReply(completion: ChatCompletion): string | null | undefined {
  return completion.choices[0]?.message.content;
}

describe("the official SDK's types and ours", () => {
  it("the SDK's ChatCompletion, stored message and deletion are assignable to ours, not the reverse", () => {
    expect([sdkCompletionIsOurs, sdkStoreMessageIsOurs, sdkDeletedIsOurs, oursIsSdkCompletion]).toEqual([true, true, true, false]);
  });

  it('a helper typed with ours takes a completion typed by the SDK', () => {
    const fromSdk: OpenAI.Chat.Completions.ChatCompletion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hi', refusal: null } }],
    };
    expect(firstReply(fromSdk)).toBe('hi');
  });
});
