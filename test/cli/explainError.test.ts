import { APIConnectionError, APIError, APITimeoutError, CursorError, DecodeError, InvalidResponseError } from '../../src';
import { explainError } from '../../src/cli/explainError';

const URL = 'https://api.example/v1';
const OPENAI = { baseURL: URL, azure: false };
const AZURE = { baseURL: 'https://my-resource.openai.azure.com', azure: true };

/** A connection error as the client makes one: undici's error, with the socket's code, as its cause. */
function failed(code: string): APIConnectionError {
  return new APIConnectionError(`Connection failed: ${code}`, { cause: Object.assign(new Error('socket'), { code }) });
}

describe('explainError', () => {
  it.each([
    [APIError.from(401, { message: 'Incorrect API key provided.' }, 'req_1', {}), 'The API key was rejected by https://api.example/v1 (check --api-key or OPENAI_API_KEY): 401 Incorrect API key provided. (request id req_1)'],
    [APIError.from(403, { message: 'No access' }, undefined, {}), 'The API key may not read stored completions at https://api.example/v1: 403 No access'],
    [APIError.from(404, { message: 'Not found' }, undefined, {}), 'https://api.example/v1 answered 404 (a wrong --base-url, or an --after id that does not exist?): 404 Not found'],
    [APIError.from(503, undefined, undefined, {}), 'https://api.example/v1 answered 503 no error message in the response body'],
    [new APITimeoutError('headers', 60_000), 'https://api.example/v1 did not answer in time, retries included: No response headers within 60000 ms'],
    [failed('ECONNREFUSED'), 'Nothing accepted a connection at https://api.example/v1 (connection refused: is the server running, and are the host and port of --base-url right?): Connection failed: ECONNREFUSED'],
    [failed('ENOTFOUND'), 'The host of https://api.example/v1 could not be resolved (ENOTFOUND): check --base-url and the network: Connection failed: ENOTFOUND'],
    [failed('ECONNRESET'), 'https://api.example/v1 closed the connection before its answer was complete (ECONNRESET), retries included: Connection failed: ECONNRESET'],
    [failed('UND_ERR_SOCKET'), 'https://api.example/v1 closed the connection before its answer was complete (UND_ERR_SOCKET), retries included: Connection failed: UND_ERR_SOCKET'],
    [failed('DEPTH_ZERO_SELF_SIGNED_CERT'), 'The TLS certificate of https://api.example/v1 was refused (DEPTH_ZERO_SELF_SIGNED_CERT): Connection failed: DEPTH_ZERO_SELF_SIGNED_CERT'],
    [new APIConnectionError('Connection failed: Proxy response (407) !== 200 when HTTP Tunneling'), 'The proxy refused to open a tunnel to https://api.example/v1 (HTTP 407: check the credentials in HTTPS_PROXY or HTTP_PROXY): Connection failed: Proxy response (407) !== 200 when HTTP Tunneling'],
    [new APIConnectionError('Connection failed: other'), 'The connection to https://api.example/v1 failed, retries included: Connection failed: other'],
    [new InvalidResponseError(200, undefined), 'https://api.example/v1 kept sending bodies that are not JSON: The 200 response body is not valid JSON'],
    [new DecodeError('ChatCompletionList', ['has_more: expected boolean, got "true"']), 'https://api.example/v1 sent a page that is not a list of stored completions: Invalid ChatCompletionList: has_more: expected boolean, got "true"'],
    [new CursorError('cursor_not_advancing', 'The page repeats', 'c1'), 'The pagination of https://api.example/v1 broke: The page repeats'],
    [new Error('EACCES: permission denied'), 'EACCES: permission denied'],
    ['a string', 'a string'],
  ])('explains %p', (error, message) => {
    expect(explainError(error, OPENAI)).toBe(message);
  });

  it('names the Azure inputs in Azure mode', () => {
    expect(explainError(APIError.from(401, { message: 'Access denied' }, undefined, {}), AZURE)).toBe(
      'The API key was rejected by https://my-resource.openai.azure.com (check --api-key or AZURE_OPENAI_API_KEY): 401 Access denied',
    );
    expect(explainError(APIError.from(404, { message: 'Resource not found' }, undefined, {}), AZURE)).toBe(
      'https://my-resource.openai.azure.com answered 404 (a wrong --azure-endpoint (or AZURE_OPENAI_ENDPOINT) or --api-version, or an --after id that does not exist?): 404 Resource not found',
    );
    expect(explainError(failed('ECONNREFUSED'), AZURE)).toContain('are the host and port of --azure-endpoint right?)');
  });
});
