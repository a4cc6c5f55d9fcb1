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
    expect(fineTuneExample(answer({ role: 'assistant', content: null, refusal: 'No.' }), [])).toEqual({ skipped: 'whose first choice is a refusal' });
    expect(fineTuneExample(answer({ role: 'assistant', content: null, refusal: null }), [])).toEqual({
      skipped: 'whose first choice has neither content nor tool calls',
    });
    expect(fineTuneExample({ choices: [] }, [])).toEqual({ skipped: 'without a choice' });
    expect(fineTuneExample(answer({ role: 'assistant', content: 'x' }), [{ content: 'q' }])).toEqual({ skipped: 'with an input message without role' });
  });

  it('sends a developer message as a system message, its name and text parts kept', () => {
    const parts = [{ type: 'text', text: 'Be brief.' }];
    expect(fineTuneExample(answer({ role: 'assistant', content: 'ok' }), [{ role: 'developer', content: 'Be brief.', name: 'ops', content_parts: parts }])).toEqual({
      example: { messages: [{ role: 'system', content: parts, name: 'ops' }, { role: 'assistant', content: 'ok' }] },
    });
  });

  it.each([
    ['a user message without content', { role: 'user', content: null }, 'with an input user message without content'],
    ['a system message without content', { role: 'system', content: null }, 'with an input system message without content'],
    ['a tool message without tool_call_id', { role: 'tool', content: '18°C', tool_call_id: null }, 'with an input tool message without tool_call_id'],
    ['a tool message without content', { role: 'tool', content: null, tool_call_id: 'call_1' }, 'with an input tool message without content'],
    ['an assistant message with neither content nor tool calls', { role: 'assistant', content: null, tool_calls: [] }, 'with an input assistant message with neither content nor tool calls'],
    ['a function message without name', { role: 'function', content: '{}', name: null }, 'with an input function message without name'],
    ['an unknown role', { role: 'critic', content: 'meh' }, 'with an input message of role "critic", which fine-tuning does not take'],
  ])('makes no example of %s, and says why', (_name, message, reason) => {
    expect(fineTuneExample(answer({ role: 'assistant', content: 'ok' }), [{ role: 'user', content: 'q' }, message])).toEqual({ skipped: reason });
  });

  it('keeps a function message without content as content null, and drops fields a role does not take', () => {
    const result = fineTuneExample(answer({ role: 'assistant', content: 'ok' }), [
      { role: 'function', content: null, name: 'lookup' },
      { role: 'tool', content: 'x', tool_call_id: 'call_1', name: 'weather' },
      { role: 'user', content: 'q', content_parts: [{ type: 'refusal', refusal: 'no' }] },
    ]);
    expect(result).toEqual({
      example: {
        messages: [
          { role: 'function', content: null, name: 'lookup' },
          { role: 'tool', content: 'x', tool_call_id: 'call_1' },
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'ok' },
        ],
      },
    });
  });
});
