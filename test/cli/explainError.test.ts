import { APIConnectionError, APIError, APITimeoutError, CursorError, DecodeError, InvalidResponseError } from '../../src';
import { explainError } from '../../src/cli/explainError';

const URL = 'https://api.example/v1';

describe('explainError', () => {
  it.each([
    [APIError.from(401, { message: 'Incorrect API key provided.' }, 'req_1', {}), 'The API key was rejected by https://api.example/v1 (check --api-key or OPENAI_API_KEY): 401 Incorrect API key provided. (request id req_1)'],
    [APIError.from(403, { message: 'No access' }, undefined, {}), 'The API key may not read stored completions at https://api.example/v1: 403 No access'],
    [APIError.from(404, { message: 'Not found' }, undefined, {}), 'https://api.example/v1 answered 404 (a wrong --base-url, or an --after id that does not exist?): 404 Not found'],
    [APIError.from(503, undefined, undefined, {}), 'https://api.example/v1 answered 503 no error message in the response body'],
    [new APITimeoutError('headers', 60_000), 'https://api.example/v1 did not answer in time, retries included: No response headers within 60000 ms'],
    [new APIConnectionError('Connection failed: connect ECONNREFUSED'), 'Could not reach https://api.example/v1, retries included: Connection failed: connect ECONNREFUSED'],
    [new InvalidResponseError(200, undefined), 'https://api.example/v1 kept sending bodies that are not JSON: The 200 response body is not valid JSON'],
    [new DecodeError('ChatCompletionList', ['has_more: expected boolean, got "true"']), 'https://api.example/v1 sent a page that is not a list of stored completions: Invalid ChatCompletionList: has_more: expected boolean, got "true"'],
    [new CursorError('cursor_not_advancing', 'The page repeats', 'c1'), 'The pagination of https://api.example/v1 broke: The page repeats'],
    [new Error('EACCES: permission denied'), 'EACCES: permission denied'],
    ['a string', 'a string'],
  ])('explains %p', (error, message) => {
    expect(explainError(error, URL)).toBe(message);
  });
});
