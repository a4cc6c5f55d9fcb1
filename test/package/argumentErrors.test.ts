import { EMPTY, isObservable, Observable, type OperatorFunction } from 'rxjs';
import * as lib from '../../src';
import { createClient, InvalidArgumentError, type ChatCompletions, type Client } from '../../src';
import { argumentErrorOf } from '../helpers/argumentErrorOf';

// The library is cold everywhere: a public method returns an Observable whatever its arguments,
// and bad arguments are an InvalidArgumentError on subscribe, before anything is sent (the client
// points at a port where nothing listens: a request would fail otherwise, and later).

/** Each method's return type, checked by the compiler: an Observable, or a resource of such methods. */
type AllObservable<T> = { readonly [K in keyof T]-?: T[K] extends (...args: never[]) => Observable<unknown> ? true : AllObservable<T[K]> };
const completionsReturnObservables: AllObservable<ChatCompletions> = {
  list: true,
  pages: true,
  process: true,
  processPages: true,
  watch: true,
  retrieve: true,
  update: true,
  delete: true,
  messages: { list: true, pages: true, processPages: true },
};
type ReturnsOperator<F> = F extends (...args: never[]) => OperatorFunction<never, unknown> ? true : false;
const operatorsReturnOperators: { readonly [K in 'withMessages' | 'deleteEach' | 'updateEach' | 'createdWithin' | 'filterMetadata']: ReturnsOperator<(typeof lib)[K]> } = {
  withMessages: true,
  deleteEach: true,
  updateEach: true,
  createdWithin: true,
  filterMetadata: true,
};

const client: Client = createClient({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-test' });
const { completions } = client.chat;

/** Arguments each method refuses, as calls: every one must give an error on subscribe, never a throw. */
const BAD_CALLS: Readonly<Record<string, ReadonlyArray<() => Observable<unknown>>>> = {
  list: [() => completions.list({ limit: 0 }), () => completions.list(null as never), () => completions.list({}, { prefetch: -1 }), () => completions.list({}, 7 as never)],
  pages: [() => completions.pages({ order: 'up' as never }), () => completions.pages({}, { signal: {} as AbortSignal })],
  process: [() => completions.process({}, null as never), () => completions.process({ limit: 101 }, () => EMPTY)],
  processPages: [() => completions.processPages({}, 'work' as never), () => completions.processPages({ after: 5 as never }, () => EMPTY)],
  watch: [() => completions.watch({}, { intervalMs: -1 }), () => completions.watch({}, { from: { created: 'x' } as never })],
  retrieve: [() => completions.retrieve(''), () => completions.retrieve(42 as never), () => completions.retrieve('a', null as never)],
  update: [
    () => completions.update('a', { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }),
    () => completions.update('a', null as never),
    () => completions.update('..', { metadata: {} }),
  ],
  delete: [() => completions.delete('.'), () => completions.delete(undefined as never)],
  'messages.list': [() => completions.messages.list(''), () => completions.messages.list('a', { limit: -1 })],
  'messages.pages': [() => completions.messages.pages('a', { order: 'sideways' as never })],
  'messages.processPages': [
    () => completions.messages.processPages('a', undefined, 'work' as never),
    () => completions.messages.processPages('', undefined, () => EMPTY),
    () => completions.messages.processPages('a', { limit: 0 }, () => EMPTY, { prefetch: -1 }),
  ],
  withMessages: [() => EMPTY.pipe(lib.withMessages(client, { concurrency: 0 })), () => EMPTY.pipe(lib.withMessages(null as never))],
  deleteEach: [() => EMPTY.pipe(lib.deleteEach(client, { failFast: 'yes' as never })), () => EMPTY.pipe(lib.deleteEach({} as never))],
  updateEach: [() => EMPTY.pipe(lib.updateEach(client, { set: { a: 'b' }, unset: ['a'] })), () => EMPTY.pipe(lib.updateEach(client, null as never))],
  createdWithin: [() => EMPTY.pipe(lib.createdWithin({ since: 10, until: 5 })), () => EMPTY.pipe(lib.createdWithin({}, 'up' as never))],
  filterMetadata: [() => EMPTY.pipe(lib.filterMetadata(null as never)), () => EMPTY.pipe(lib.filterMetadata({ env: 42 as never }))],
  retryBackoff: [() => EMPTY.pipe(lib.retryBackoff(null as never))],
  writeParquet: [() => EMPTY.pipe(lib.writeParquet('')), () => EMPTY.pipe(lib.writeParquet('x.parquet', { rowGroupRows: 0 }))],
};

/** The exported functions that return no Observable, and why. */
const NOT_OBSERVABLE: Readonly<Record<string, string>> = {
  createClient: 'builds the client, as the SDK constructor does: bad options throw at once',
  decodeOrThrow: 'decodes a value, and throws by its name',
  sourceText: 'reads the text a decoded value was parsed from',
  watchCheckpoint: 'reads the checkpoint watch() attached to a completion',
};

const isClass = (value: unknown): boolean => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

describe('bad arguments, on subscribe', () => {
  it('every method of the client and every exported function is checked here, or says why not', () => {
    const methods = (resource: object, prefix = ''): string[] =>
      Object.entries(resource).flatMap(([name, value]) =>
        typeof value === 'function' ? [`${prefix}${name}`] : typeof value === 'object' && value !== null ? methods(value, `${prefix}${name}.`) : [],
      );
    const functions = Object.entries(lib)
      .filter(([, value]) => typeof value === 'function' && !isClass(value))
      .map(([name]) => name);
    expect([...methods(completions), ...functions].filter((name) => BAD_CALLS[name] === undefined && NOT_OBSERVABLE[name] === undefined)).toEqual([]);
    expect(completionsReturnObservables.messages.list && Object.keys(operatorsReturnOperators)).toHaveLength(5);
  });

  it.each(Object.entries(BAD_CALLS))('%s: an InvalidArgumentError on subscribe, at once, and no throw at call', (_name, calls) => {
    for (const call of calls) expect(argumentErrorOf(call)).toBeInstanceOf(InvalidArgumentError);
  });

  it('good arguments give a cold Observable too: nothing happens before subscribe', () => {
    expect(isObservable(completions.list({ limit: 1 }))).toBe(true);
    expect(isObservable(EMPTY.pipe(lib.deleteEach(client)))).toBe(true);
  });
});
