import { fineTuneExample } from '../../../src/cli/export/fineTuneExample';

const answer = (message: Record<string, unknown>) => ({ choices: [{ index: 0, message, finish_reason: 'stop' }], tools: null });

describe('fineTuneExample', () => {
  it('puts the input messages in request form, then the first choice as the assistant turn', () => {
    const result = fineTuneExample(
      answer({ role: 'assistant', content: 'A haiku.', refusal: null, tool_calls: null, function_call: null, annotations: [] }),
      [
        { id: 'c-0', role: 'system', content: 'Be brief.', name: null, content_parts: null },
        { id: 'c-1', role: 'user', content: 'write a haiku', name: 'ada', content_parts: null },
      ],
    );
    expect(result).toEqual({
      example: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'write a haiku', name: 'ada' },
          { role: 'assistant', content: 'A haiku.' },
        ],
      },
    });
  });

  it('turns content_parts into content parts, text and images', () => {
    const parts = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
    ];
    const result = fineTuneExample(answer({ role: 'assistant', content: 'A cat.' }), [
      { id: 'c-0', role: 'user', content: 'What is this?', content_parts: parts },
    ]);
    expect(result).toEqual({ example: { messages: [{ role: 'user', content: parts }, { role: 'assistant', content: 'A cat.' }] } });
  });

  it('keeps tool calls, tool call ids and the request tools', () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } };
    const tools = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }];
    const result = fineTuneExample({ ...answer({ role: 'assistant', content: null, tool_calls: [call] }), tools }, [
      { id: 'c-0', role: 'user', content: 'Weather in Paris?' },
      { id: 'c-1', role: 'assistant', content: null, tool_calls: [call] },
      { id: 'c-2', role: 'tool', content: '18°C', tool_call_id: 'call_1' },
    ]);
    expect(result).toEqual({
      example: {
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', content: '18°C', tool_call_id: 'call_1' },
          { role: 'assistant', content: null, tool_calls: [call] },
        ],
        tools,
      },
    });
  });

  it('uses the first choice only', () => {
    const completion = {
      choices: [
        { index: 0, message: { role: 'assistant', content: 'first' } },
        { index: 1, message: { role: 'assistant', content: 'second' } },
      ],
    };
    expect(fineTuneExample(completion, [{ role: 'user', content: 'q' }])).toEqual({
      example: { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'first' }] },
    });
  });

  it('makes no example of a refusal, of a completion without choices, or of a message without role, and says why', () => {
    expect(fineTuneExample(answer({ role: 'assistant', content: null, refusal: 'No.' }), [])).toEqual({
      skipped: 'whose first choice has neither content nor tool calls (a refusal?)',
    });
    expect(fineTuneExample({ choices: [] }, [])).toEqual({ skipped: 'without a choice' });
    expect(fineTuneExample(answer({ role: 'assistant', content: 'x' }), [{ content: 'q' }])).toEqual({
      skipped: 'whose input message 0 has no role',
    });
  });
});
