import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError } from './server/apiError';
import { AzureAuthenticator, azurePath } from './server/azureMode';
import { CompletionStore } from './server/completionStore';
import { digest } from './seeded/digest';
import { runEndpoint } from './server/endpoints';
import { faultOutcome } from './faults/faultOutcomes';
import { FaultPlan, type Fault } from './faults/faults';
import { resolveOptions, type EmulatorOptions, type ResolvedOptions, type RetryAfterMs } from './options';
import { RateLimit } from './limits/rateLimit';
import { writeOutcome, type Outcome } from './server/responses';
import { route, type Route } from './server/router';
import { startArrivals } from './server/arrivals';
import { writeFaultEffect, type WriteFaultKind } from './faults/writeFaults';

/** Counters of what reached the emulator, for tests that assert on traffic. */
export interface EmulatorStats {
  /** Requests received, whatever their outcome. */
  readonly requests: number;
  /** Responses sent, by status (a reset connection sends none). */
  readonly byStatus: Readonly<Record<number, number>>;
  /** Faults injected, latency faults included. */
  readonly faults: number;
  /** Requests routed to each endpoint, whatever their outcome: `byEndpoint.list` counts the pages a client asked for. */
  readonly byEndpoint: Readonly<Record<Route['endpoint'], number>>;
  /** Completions stored now: the seeded ones and those created, minus those deleted. */
  readonly stored: number;
}

/** A running emulator. */
export interface EmulatorHandle {
  /**
   * The base URL to give a client, ending in `/v1`, e.g. `http://127.0.0.1:54321/v1`; with
   * `azure`, Azure's v1 API: `http://127.0.0.1:54321/openai/v1`.
   */
  readonly url: string;
  /** The server's origin, e.g. `http://127.0.0.1:54321`: an Azure endpoint with `azure`. */
  readonly endpoint: string;
  /** Stops the server and drops every connection, idle or not. Idempotent. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  stats(): EmulatorStats;
}

/**
 * Starts a local server of the stored Chat Completions API on 127.0.0.1, with a seeded history.
 *
 * It answers the five stored-completion endpoints with the real API's list semantics, shapes,
 * errors and headers, so that a client (this library's, or the official SDK) can be tested
 * without the network: list with `limit`/`order`/`after`/`model`/`metadata[…]`, retrieve, update
 * metadata, delete, list messages, and create with `store: true`. Options add an API key check,
 * a token-bucket rate limit, deterministic faults (on reads, and on writes, some after the write
 * took effect), a 404 for a deleted cursor (`strictCursor`), and latency.
 *
 * ## Example
 *
 * ```ts
 * import { startEmulator } from 'rx-stored-completions/testing';
 *
 * const emulator = await startEmulator({ count: 250, seed: 7 });
 * const page = await fetch(`${emulator.url}/chat/completions?limit=2`).then((r) => r.json());
 * console.log(page.data.length, page.has_more); // 2 true
 * await emulator.close();
 * ```
 *
 * @param options see {@link EmulatorOptions}; every default is in `EMULATOR_DEFAULTS`.
 * @returns the running emulator, once it listens.
 * @throws {InvalidArgumentError} (as a rejection) for invalid options, before anything starts.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emulator = new Emulator(resolveOptions(options));
  return emulator.listen();
}

/** Endpoints that read only, faulted by `faults`. */
const READS = new Set<Route['endpoint']>(['list', 'retrieve', 'messages']);
/** Endpoints that write idempotently, faulted by `writeFaults`; create is never faulted. */
const WRITES = new Set<Route['endpoint']>(['update', 'delete']);

class Emulator {
  private readonly store: CompletionStore;
  private readonly faults: FaultPlan | undefined;
  private readonly writeFaults: FaultPlan<WriteFaultKind> | undefined;
  private readonly server: Server;
  private readonly closing = new AbortController();
  private readonly byStatus: Record<number, number> = {};
  private readonly byEndpoint: Record<Route['endpoint'], number> = { list: 0, create: 0, retrieve: 0, update: 0, delete: 0, messages: 0 };
  private requests = 0;
  private faultCount = 0;
  private readonly apiKeyDigest: Buffer | undefined;
  private readonly azure: AzureAuthenticator | undefined;
  private readonly rateLimit: RateLimit | undefined;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.store = new CompletionStore(options.seed, options.count, options.strictCursor);
    this.faults = options.faults.rate > 0 ? new FaultPlan(options.faults) : undefined;
    this.writeFaults = options.writeFaults.rate > 0 ? new FaultPlan(options.writeFaults) : undefined;
    this.apiKeyDigest = options.apiKey === null ? undefined : digest(`Bearer ${options.apiKey}`);
    this.azure = options.azure === null ? undefined : new AzureAuthenticator(options.azure);
    this.rateLimit = options.rateLimit === null ? undefined : new RateLimit(options.rateLimit, options.clock.now());
    this.server = createServer((request, response) => void this.handle(request, response));
    if (options.arrivalsPerSecond > 0) startArrivals(this.store, options.arrivalsPerSecond, options.clock, options.seed, this.closing.signal);
  }

  async listen(): Promise<EmulatorHandle> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    return {
      url: this.azure === undefined ? `${endpoint}/v1` : `${endpoint}/openai/v1`,
      endpoint,
      close: () => this.close(),
      stats: () => ({
        requests: this.requests,
        byStatus: { ...this.byStatus },
        byEndpoint: { ...this.byEndpoint },
        faults: this.faultCount,
        stored: this.store.stored,
      }),
    };
  }

  private close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      // Aborting cancels the latency timers of requests in flight; their sockets go next.
      this.closing.abort();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests++;
    const requestId = `req_${randomBytes(16).toString('hex')}`;
    const headers: Record<string, string> = { 'x-request-id': requestId, 'content-type': 'application/json' };
    const body = await readBody(request).catch(() => undefined);
    if (body === undefined) return; // the client went away mid-request: nobody to answer
    let outcome: Outcome;
    let delayMs = this.options.latencyMs;
    try {
      this.limitRate(headers);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      const target = route(method, this.openAIPath(request, url));
      this.byEndpoint[target.endpoint]++;
      // `faults` touch reads only, so that a test of reads never meets an ambiguous write. Writes
      // are faulted by `writeFaults` alone, whose faults after acting make a retry ambiguous on
      // purpose (a retried delete answered 404 for a delete that did happen); create never is,
      // since its retry would store a second completion.
      const key = `${method} ${request.url ?? ''}`;
      const { fault, acts, faultOptions } = this.drawFault(target, key);
      if (fault !== undefined) {
        this.faultCount++;
        if (fault.kind === 'latency') delayMs += faultOptions.latencyMs;
      }
      outcome = this.outcome(fault, acts, faultOptions.retryAfterMs, headers, () =>
        runEndpoint(this.store, target, {
          query: url.searchParams,
          body,
          requestId,
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      );
    } catch (error) {
      const apiError = error instanceof APIError ? error : internalError(error);
      outcome = { kind: 'complete', status: apiError.status, body: apiError.body(), headers: { ...headers, ...apiError.headers } };
    }
    if (delayMs > 0) {
      try {
        await this.options.clock.sleep(delayMs, this.closing.signal);
      } catch {
        return; // closed while waiting: the socket is gone
      }
    }
    if (request.socket.destroyed) return; // the client gave up while waiting
    const status = writeOutcome(response, outcome);
    if (status !== undefined) this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  /** The fault for this request, if any, as the read fault that shapes its answer. */
  private drawFault(
    target: Route,
    key: string,
  ): { readonly fault: Fault | undefined; readonly acts: boolean; readonly faultOptions: ResolvedOptions['faults' | 'writeFaults'] } {
    if (WRITES.has(target.endpoint)) {
      const drawn = this.writeFaults?.next(key);
      const effect = drawn === undefined ? undefined : writeFaultEffect(drawn);
      return { fault: effect?.answer, acts: effect?.acts ?? false, faultOptions: this.options.writeFaults };
    }
    const fault = READS.has(target.endpoint) ? this.faults?.next(key) : undefined;
    return { fault, acts: false, faultOptions: this.options.faults };
  }

  /**
   * @param acts whether the endpoint runs even when the fault replaces its answer: a write
   *   faulted after acting takes effect, and whatever it would have answered, errors included, is lost.
   */
  private outcome(
    fault: Fault | undefined,
    acts: boolean,
    retryAfterMs: RetryAfterMs,
    headers: Readonly<Record<string, string>>,
    run: () => Buffer,
  ): Outcome {
    const replaced = fault === undefined ? undefined : faultOutcome(fault, headers, retryAfterMs);
    if (replaced === undefined) return { kind: fault?.kind === 'truncated-body' ? 'truncated' : 'complete', status: 200, body: run(), headers };
    if (acts) runDiscardingAPIErrors(run);
    return replaced;
  }

  /** Authenticates the request, and gives its path in OpenAI's form, Azure's mapped onto it. */
  private openAIPath(request: IncomingMessage, url: URL): string {
    if (this.options.azure === null || this.azure === undefined) {
      this.authenticate(request.headers.authorization);
      return url.pathname;
    }
    const { pathname, v1 } = azurePath(url.pathname, url.searchParams, this.options.azure);
    this.azure.authenticate(request.headers, v1);
    return pathname;
  }

  /** Takes a token; adds the rate-limit headers whatever the outcome. */
  private limitRate(headers: Record<string, string>): void {
    if (this.rateLimit === undefined) return;
    const verdict = this.rateLimit.admit(this.options.clock.now());
    Object.assign(headers, verdict.headers);
    if (!verdict.allowed) {
      const limit = verdict.reportedLimit;
      throw new APIError(
        429,
        `Rate limit reached for requests: limit ${limit}, used ${limit}, requested 1. Please try again in ${Math.ceil(verdict.retryAfterMs)}ms.`,
        'requests',
        null,
        'rate_limit_exceeded',
      );
    }
  }

  private authenticate(authorization: string | undefined): void {
    if (this.apiKeyDigest === undefined) return;
    if (authorization === undefined) {
      throw new APIError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    }
    // Digests have equal lengths, so the comparison time says nothing about the key; the key
    // presented is never echoed.
    if (!timingSafeEqual(digest(authorization), this.apiKeyDigest)) {
      throw new APIError(401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key');
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function runDiscardingAPIErrors(run: () => Buffer): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
  }
}

function internalError(error: unknown): APIError {
  const detail = error instanceof Error ? error.message : String(error);
  return new APIError(500, `The emulator failed to handle the request: ${detail}`, 'server_error', null, null);
}
