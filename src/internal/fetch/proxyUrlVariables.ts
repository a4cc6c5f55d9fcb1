/**
 * The variables that may name a proxy, credentials included: those to mask in messages. A module
 * of its own, without undici, so that the CLI masks them without loading the HTTP stack.
 */
export const PROXY_URL_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;
