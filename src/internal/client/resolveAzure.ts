import { InvalidArgumentError } from '../../errors';
import type { AzureClientOptions } from '../../client/AzureClientOptions';

/** What a client needs to reach an Azure resource. */
export interface ResolvedAzure {
  /** `{endpoint}/openai/v1` or `{endpoint}/openai`. */
  readonly baseURL: string;
  /** `api-version=V`, for every request, or `undefined` on the v1 API. */
  readonly query: string | undefined;
  readonly apiKey: string | undefined;
  readonly tokenProvider: (() => string | Promise<string>) | undefined;
}

const AZURE_OPTION_NAMES = ['endpoint', 'apiKey', 'apiVersion', 'tokenProvider'];

/**
 * Resolves the `azure` option against the environment.
 *
 * @param options The `azure` option.
 * @param env The environment: `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_KEY`, `OPENAI_API_VERSION`.
 * @param parseURL Checks the endpoint as a base URL, naming it in messages.
 * @returns Where requests go and how they authenticate.
 * @throws {InvalidArgumentError} for an unknown option, a missing or malformed endpoint, an
 *   empty version, or both `apiKey` and `tokenProvider`.
 */
export function resolveAzure(
  options: AzureClientOptions,
  env: Readonly<Record<string, string | undefined>>,
  parseURL: (text: string, name: string) => string,
): ResolvedAzure {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`Expected \`azure\` to be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const name of Object.keys(options)) {
    if (!AZURE_OPTION_NAMES.includes(name)) {
      throw new InvalidArgumentError(`Unknown option \`azure.${name}\`; expected one of ${AZURE_OPTION_NAMES.map((known) => `\`azure.${known}\``).join(', ')}`);
    }
  }
  const { tokenProvider } = options;
  if (tokenProvider !== undefined && typeof tokenProvider !== 'function') {
    throw new InvalidArgumentError(`Expected \`azure.tokenProvider\` to be a function, got ${typeof tokenProvider}`);
  }
  if (tokenProvider !== undefined && options.apiKey !== undefined) {
    throw new InvalidArgumentError('`azure.apiKey` and `azure.tokenProvider` exclude each other: pass one');
  }
  const endpointText = options.endpoint ?? (env['AZURE_OPENAI_ENDPOINT'] || undefined);
  if (endpointText === undefined) {
    throw new InvalidArgumentError('Missing Azure endpoint: pass `azure.endpoint` to createClient or set AZURE_OPENAI_ENDPOINT');
  }
  const endpoint = azureEndpoint(parseURL(endpointText, options.endpoint === undefined ? 'AZURE_OPENAI_ENDPOINT' : 'azure.endpoint'));
  const apiVersion = options.apiVersion ?? (env['OPENAI_API_VERSION'] || undefined);
  if (apiVersion !== undefined) checkApiVersion(apiVersion, options.apiVersion === undefined ? 'OPENAI_API_VERSION' : 'azure.apiVersion');
  return {
    baseURL: apiVersion === undefined ? `${endpoint}/openai/v1` : `${endpoint}/openai`,
    query: apiVersion === undefined ? undefined : `api-version=${apiVersion}`,
    apiKey: tokenProvider === undefined ? (options.apiKey ?? (env['AZURE_OPENAI_API_KEY'] || undefined)) : undefined,
    tokenProvider,
  };
}

/**
 * An endpoint as requests are built from it: a trailing `/openai` or `/openai/v1`, as the
 * portal's examples show it, is dropped, since the paths add it.
 *
 * @param url The endpoint, checked and without a trailing slash.
 * @returns The endpoint without Azure's path.
 */
export function azureEndpoint(url: string): string {
  return url.replace(/\/openai(\/v1)?$/, '');
}

/**
 * Checks an API version: it travels in the query, so anything beyond letters, digits, `.`, `_`
 * and `-` is a mistake (a pasted URL, a stray space).
 *
 * @param version The version.
 * @param name What the caller calls it, for the message.
 * @throws {InvalidArgumentError} for anything else.
 */
export function checkApiVersion(version: string, name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(version)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a version such as "2025-04-01-preview", got ${JSON.stringify(version)}`);
  }
}
