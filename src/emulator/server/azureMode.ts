import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { APIError } from './apiError';
import { digest } from '../seeded/digest';
import type { ResolvedAzureOptions } from '../options';

/**
 * An error in Azure OpenAI's envelope, `{"error":{"code":"401","message":"…"}}`: a string `code`
 * and no `type` nor `param`, as Azure's gateway answers before a request reaches the model API.
 */
export class AzureError extends APIError {
  /**
   * @param status the HTTP status.
   * @param code the envelope's `code`: the status as text, or a name such as `BadRequest`.
   * @param message Azure's message (never containing a credential).
   */
  constructor(status: number, code: string, message: string) {
    super(status, message, '', null, code);
    this.name = 'AzureError';
  }

  override body(): Buffer {
    return Buffer.from(JSON.stringify({ error: { code: this.code, message: this.message } }));
  }
}

const V1_PREFIX = '/openai/v1/';
const VERSIONED_PREFIX = '/openai/';
/** Where Azure's versioned API creates a completion: the deployment stands for the model. */
const DEPLOYMENT_CREATE = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;

/**
 * Azure's two path forms, as the OpenAI path the router knows: `/openai/v1/chat/completions…`
 * (the v1 API, no version) and `/openai/chat/completions…?api-version=V`, where a completion is
 * created at `/openai/deployments/{deployment}/chat/completions?api-version=V`.
 *
 * @param pathname the request's path, still percent-encoded.
 * @param query the request's query.
 * @param options the Azure options: `apiVersion` restricts the versions accepted.
 * @returns the path under `/v1/`, and whether it was the v1 form.
 * @throws AzureError 404 `Resource not found` for any other path or a missing `api-version`, as
 *   Azure answers both; 400 `API version not supported` for another version than `apiVersion`.
 */
export function azurePath(pathname: string, query: URLSearchParams, options: ResolvedAzureOptions): { readonly pathname: string; readonly v1: boolean } {
  if (pathname.startsWith(V1_PREFIX)) return { pathname: pathname.slice(VERSIONED_PREFIX.length - 1), v1: true };
  const version = query.get('api-version');
  if (!pathname.startsWith(VERSIONED_PREFIX) || version === null || version === '') {
    throw new AzureError(404, '404', 'Resource not found');
  }
  if (options.apiVersion !== null && version !== options.apiVersion) {
    throw new AzureError(400, 'BadRequest', 'API version not supported');
  }
  if (DEPLOYMENT_CREATE.test(pathname)) return { pathname: '/v1/chat/completions', v1: false };
  return { pathname: `/v1/${pathname.slice(VERSIONED_PREFIX.length)}`, v1: false };
}

/** Checks a request's credentials the way Azure does: an `api-key` header, or a bearer token. */
export class AzureAuthenticator {
  private readonly keyDigest: Buffer | undefined;
  private readonly tokenDigests: readonly Buffer[];

  constructor(options: ResolvedAzureOptions) {
    this.keyDigest = options.apiKey === null ? undefined : digest(options.apiKey);
    this.tokenDigests = options.tokens.map(digest);
  }

  /**
   * @param headers the request's headers.
   * @param v1 whether the path is the v1 form, whose API also takes the key as a bearer token.
   * @throws AzureError 401 with Azure's messages, which never echo what was presented.
   */
  authenticate(headers: IncomingHttpHeaders, v1: boolean): void {
    if (this.keyDigest === undefined && this.tokenDigests.length === 0) return;
    const apiKey = headers['api-key'];
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (typeof apiKey === 'string') {
      if (this.keyDigest !== undefined && timingSafeEqual(digest(apiKey), this.keyDigest)) return;
      throw new AzureError(
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    }
    if (bearer !== undefined) {
      const presented = digest(bearer);
      // Every digest is compared, so the time taken does not tell which credential came close.
      const matches = [...this.tokenDigests, ...(v1 && this.keyDigest !== undefined ? [this.keyDigest] : [])].filter((known) => timingSafeEqual(presented, known));
      if (matches.length > 0) return;
      throw new AzureError(401, '401', 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.');
    }
    throw new AzureError(
      401,
      '401',
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
  }
}
