import { isRight } from 'fp-ts/Either';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as t from 'io-ts';
import { ChatCompletion, ChatCompletionDeleted, ChatCompletionList, ChatCompletionMessageList } from '../../src';

const examplesDir = path.join(__dirname, '../fixtures/spec-examples');

const codecByExample: Record<string, t.Mixed> = {
  'deleteChatCompletion.response.json': ChatCompletionDeleted,
  'getChatCompletion.response.json': ChatCompletion,
  'getChatCompletionMessages.response.json': ChatCompletionMessageList,
  'listChatCompletions.response.json': ChatCompletionList,
  'schema-ChatCompletionList.example.json': ChatCompletionList,
  'schema-ChatCompletionMessageList.example.json': ChatCompletionMessageList,
  'schema-CreateChatCompletionResponse.example.json': ChatCompletion,
  'updateChatCompletion.response.json': ChatCompletion,
};

describe('the spec examples', () => {
  it('are all covered here, so a new example needs a codec', () => {
    expect(fs.readdirSync(examplesDir).filter((file) => file.endsWith('.json')).sort()).toEqual(Object.keys(codecByExample).sort());
  });

  const cases = Object.entries(codecByExample).map(([file, codec]) => ({ file, codec }));
  it.each(cases)('$file decodes with $codec.name to the very object parsed', ({ file, codec }) => {
    const input: unknown = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
    const result = codec.decode(input);
    expect(isRight(result)).toBe(true);
    expect(isRight(result) && result.right).toBe(input);
  });
});
