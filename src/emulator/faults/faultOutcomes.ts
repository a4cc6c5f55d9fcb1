import { APIError } from '../server/apiError';
import type { Fault } from './faults';
import { retryAfterHeaders } from '../limits/rateLimitHeaders';
import type { Outcome } from '../server/responses';
import type { RetryAfterMs } from '../options';

const PROXY_PAGES = {
  502: Buffer.from(
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
      '<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n',
  ),
  200: Buffer.from(
    '<!DOCTYPE html><html lang="en"><head><title>Just a moment...</title></head>' +
      '<body><p>Checking your browser before accessing api.openai.com.</p></body></html>\r\n',
  ),
} as const;

const SERVER_ERRORS = {
  'http-500': new APIError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null),
  'http-502': new APIError(502, 'Bad gateway.', 'server_error', null, 'bad_gateway'),
  'http-503': new APIError(503, 'The server is overloaded or not ready yet.', 'server_error', null, 'service_unavailable'),
} as const;

/**
 * The response a fault puts in place of the real one.
 *
 * @param fault the fault drawn for this request.
 * @param headers the headers every response carries (`x-request-id`, rate limits, content type).
 * @param retryAfterMs the wait an injected 429 asks for: a number of milliseconds, or the range
 *   `[min, max]` the fault's variant picks a whole number of milliseconds from.
 * @returns the outcome, or `undefined` for faults that alter the real response instead of replacing
 *   it (`truncated-body`, `latency`).
 */
export function faultOutcome(fault: Fault, headers: Readonly<Record<string, string>>, retryAfterMs: RetryAfterMs): Outcome | undefined {
  switch (fault.kind) {
    case 'connection-reset':
      return { kind: 'reset' };
    case 'http-429': {
      const [min, max] = typeof retryAfterMs === 'number' ? [retryAfterMs, retryAfterMs] : retryAfterMs;
      const ms = min + (fault.variant % (Math.floor(max - min) + 1));
      const error = new APIError(
        429,
        `Rate limit reached for requests (injected by the emulator). Please try again in ${ms}ms.`,
        'requests',
        null,
        'rate_limit_exceeded',
      );
      return { kind: 'complete', status: 429, body: error.body(), headers: { ...headers, ...retryAfterHeaders(ms) } };
    }
    case 'http-429-no-wait': {
      const error = new APIError(429, 'Rate limit reached for requests (injected by the emulator).', 'requests', null, 'rate_limit_exceeded');
      return { kind: 'complete', status: 429, body: error.body(), headers };
    }
    case 'http-500':
    case 'http-502':
    case 'http-503': {
      const error = SERVER_ERRORS[fault.kind];
      return { kind: 'complete', status: error.status, body: error.body(), headers };
    }
    case 'html-body': {
      const status = fault.variant % 2 === 0 ? 502 : 200;
      return { kind: 'complete', status, body: PROXY_PAGES[status], headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } };
    }
    case 'truncated-body':
    case 'latency':
      return undefined;
  }
}
