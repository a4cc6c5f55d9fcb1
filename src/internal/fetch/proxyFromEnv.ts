import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { InvalidArgumentError } from '../../errors';

/** The environment variables a proxy is read from, as curl and undici read them. */
export interface ProxyEnv {
  readonly [name: string]: string | undefined;
}


/**
 * An undici dispatcher that sends requests through the proxy the environment names, or
 * `undefined` when it names none: `https_proxy` / `HTTPS_PROXY` for `https:` URLs, `http_proxy` /
 * `HTTP_PROXY` for `http:` URLs (and for `https:` ones when no HTTPS proxy is set), except for
 * the hosts of `no_proxy` / `NO_PROXY` (comma- or space-separated, `host`, `.domain`,
 * `host:port`, or `*`). The lower-case form wins when both are set, as in curl; an empty
 * variable counts as unset.
 *
 * It is undici's `EnvHttpProxyAgent`, given the variables of `env` rather than of
 * `process.env`, so that a caller with an environment of its own (the CLI's) is obeyed. A proxy
 * without a scheme (`proxy.corp:3128`) is taken as `http://`, as curl does; credentials in the
 * URL (`http://user:pass@proxy.corp:3128`) go out as `Proxy-Authorization: Basic`. Requests to
 * the proxy tunnel through `CONNECT`, `http:` targets included (undici's default).
 *
 * ## Example
 * ```ts
 * import { createClient, proxyFromEnv } from 'rx-stored-completions';
 *
 * const client = createClient({ dispatcher: proxyFromEnv(process.env) });
 * ```
 *
 * @param env The environment, e.g. `process.env`.
 * @returns The dispatcher, or `undefined` when no proxy variable is set.
 * @throws {InvalidArgumentError} for a proxy URL that is not http(s); the message masks its credentials.
 */
export function proxyFromEnv(env: ProxyEnv): Dispatcher | undefined {
  const httpProxy = proxyURL(env, 'http_proxy', 'HTTP_PROXY');
  const httpsProxy = proxyURL(env, 'https_proxy', 'HTTPS_PROXY');
  if (httpProxy === '' && httpsProxy === '') return undefined;
  // Empty strings, not undefined: undici would fall back on process.env for an undefined one.
  return new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: env['no_proxy'] || env['NO_PROXY'] || '' });
}

/** The proxy URL of a variable, `''` when unset; the name in messages is the one that was set. */
function proxyURL(env: ProxyEnv, lower: string, upper: string): string {
  const name = env[lower] ? lower : upper;
  const value = env[name]?.trim() ?? '';
  if (value === '') return '';
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an http(s) proxy URL, got ${JSON.stringify(masked(text))}`);
  }
  return url.href;
}

/** The URL with its user and password replaced, so that a message never shows them. */
function masked(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1[redacted]@');
}
