import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  CursorError,
  DecodeError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
} from '../errors';
import { CommandFailure } from './CommandFailure';
import { connectionCode } from './progress/connectionCode';

/** Where a walk's requests went, as the user named it. */
export interface ExplainedTarget {
  /** The base URL requests were built on (for Azure, the endpoint). */
  readonly baseURL: string;
  /** An Azure OpenAI resource (`--azure-endpoint`), whose key and URL come from other inputs. */
  readonly azure: boolean;
}

/**
 * Says what a library error means for someone running the CLI: what
 * happened, in the words of what it is (a refused connection, a reset, an
 * answer), and which of their inputs to check, named as they gave it (the
 * Azure flags and variables in Azure mode). The library's message is kept,
 * after the explanation, since it carries the server's words and the request id.
 *
 * A {@link CommandFailure} with a cause (the input messages of which
 * completion failed) says what failed, then explains its cause.
 *
 * @param error An error of a walk.
 * @param target Where the requests went.
 * @returns One or more sentences, without a trailing newline.
 */
export function explainError(error: unknown, target: ExplainedTarget): string {
  const { baseURL, azure } = target;
  if (error instanceof CommandFailure && error.cause !== undefined) return `${error.message}: ${explainError(error.cause, target)}`;
  if (error instanceof AuthenticationError) {
    const inputs = azure ? '--api-key or AZURE_OPENAI_API_KEY' : '--api-key or OPENAI_API_KEY';
    return `The API key was rejected by ${baseURL} (check ${inputs}): ${error.message}`;
  }
  if (error instanceof PermissionDeniedError) {
    return `The API key may not read stored completions at ${baseURL}: ${error.message}`;
  }
  if (error instanceof NotFoundError) {
    const inputs = azure ? 'a wrong --azure-endpoint (or AZURE_OPENAI_ENDPOINT) or --api-version' : 'a wrong --base-url';
    return `${baseURL} answered 404 (${inputs}, or an --after id that does not exist?): ${error.message}`;
  }
  if (error instanceof APIError) return `${baseURL} answered ${error.message}`;
  if (error instanceof APITimeoutError) return `${baseURL} did not answer in time, retries included: ${error.message}`;
  if (error instanceof APIConnectionError) return `${connectionFailure(error, target)}: ${error.message}`;
  if (error instanceof InvalidResponseError) return `${baseURL} kept sending bodies that are not JSON: ${error.message}`;
  if (error instanceof DecodeError) return `${baseURL} sent a page that is not a list of stored completions: ${error.message}`;
  if (error instanceof CursorError) return `The pagination of ${baseURL} broke: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** What the last attempt's connection failure was, from its system error code. */
function connectionFailure(error: APIConnectionError, { baseURL, azure }: ExplainedTarget): string {
  const flag = azure ? '--azure-endpoint' : '--base-url';
  // undici's words when the proxy answers its CONNECT with anything but 200.
  const proxyStatus = /Proxy response \((\d{3})\)/.exec(error.message)?.[1];
  if (proxyStatus !== undefined) {
    const hint = proxyStatus === '407' ? ': check the credentials in HTTPS_PROXY or HTTP_PROXY' : '';
    return `The proxy refused to open a tunnel to ${baseURL} (HTTP ${proxyStatus}${hint})`;
  }
  const code = connectionCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing accepted a connection at ${baseURL} (connection refused: is the server running, and are the host and port of ${flag} right?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host of ${baseURL} could not be resolved (${code}): check ${flag} and the network`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `No route to the host of ${baseURL} (${code}): check the network, or a proxy`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `${baseURL} closed the connection before its answer was complete (${code}), retries included`;
    default:
      if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|VERIFY/.test(code)) {
        return `The TLS certificate of ${baseURL} was refused (${code})`;
      }
      return `The connection to ${baseURL} failed${code === undefined ? '' : ` (${code})`}, retries included`;
  }
}
