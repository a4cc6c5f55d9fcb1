/**
 * The `azure` option of `createClient`: an Azure OpenAI resource instead of OpenAI's API. Each
 * option falls back on the variable the official SDK reads.
 */
export interface AzureClientOptions {
  /**
   * The resource's endpoint, e.g. `https://my-resource.openai.azure.com` (a trailing `/openai` or
   * `/openai/v1` is dropped).
   *
   * @default `process.env.AZURE_OPENAI_ENDPOINT`; required
   */
  readonly endpoint?: string | undefined;
  /**
   * Sent as `api-key`.
   *
   * @default `process.env.AZURE_OPENAI_API_KEY`, unless `tokenProvider` is given
   */
  readonly apiKey?: string | undefined;
  /**
   * Without it, requests go to Azure's v1 API, `{endpoint}/openai/v1/chat/completions…`; with it,
   * to `{endpoint}/openai/chat/completions…?api-version=V`.
   *
   * @default `process.env.OPENAI_API_VERSION`, else the v1 API
   */
  readonly apiVersion?: string | undefined;
  /**
   * Microsoft Entra ID: called before every attempt of every request, retries included, for a token
   * sent as `Authorization: Bearer <token>`. It may return the token or a promise of it; caching
   * and refreshing are its own (`getBearerTokenProvider` of `@azure/identity` does both). Asking
   * is part of the attempt: a provider that throws, rejects or gives no token within
   * `timeout.attemptMs` fails the attempt with a `TokenProviderError`, retried like any failed
   * attempt. Excludes `apiKey`.
   *
   * @default none
   */
  readonly tokenProvider?: (() => string | Promise<string>) | undefined;
}
