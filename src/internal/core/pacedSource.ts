import type { Observable, ObservableInput } from 'rxjs';

/** How a {@link PacedRunner} paces the walk: `work`s at once, and pages fetched ahead of the finished ones. */
export interface PacingOptions {
  /** How many items `work` processes at once, across page boundaries. */
  readonly concurrency: number;
  /** Pages requested ahead of the last page whose items `work` has all finished. */
  readonly prefetch: number;
}

/**
 * Runs `work` on every item of a walk with `process()` semantics: the walk
 * requests a page only once `work` is done with enough of the pages before it,
 * so memory stays bounded however slow `work` is. Results come in the order
 * `work` finishes them.
 */
export type PacedRunner<T> = <R>(work: (item: T) => ObservableInput<R>, options: PacingOptions) => Observable<R>;

const runners = new WeakMap<Observable<unknown>, PacedRunner<unknown>>();

/**
 * Marks `source` as a walk that can be paced by its consumer, through `runner`.
 * `list()` marks the Observables it returns; an operator of this library that
 * keeps items as they are (a filter) forwards the mark with {@link forwardPacing}.
 *
 * @param source The Observable to mark.
 * @param runner Runs work over the same walk, paced.
 * @returns `source`, marked.
 */
export function registerPacedSource<T>(source: Observable<T>, runner: PacedRunner<T>): Observable<T> {
  runners.set(source, runner as PacedRunner<unknown>);
  return source;
}

/**
 * The pacing handshake of the operators over many completions: for an
 * Observable made by `list()` (or by a library operator that forwards the
 * mark), a runner that lets the operator pace the walk, so that a walk whose
 * items arrive faster than the operator handles them waits instead of piling
 * them up; `undefined` for any other Observable, which the operator then
 * buffers like `mergeMap` does.
 *
 * @param source The operator's source.
 * @returns Its runner, if it is a marked walk.
 */
export function pacedSourceOf<T>(source: Observable<T>): PacedRunner<T> | undefined {
  return runners.get(source) as PacedRunner<T> | undefined;
}

/**
 * Marks `output`, an operator's result over `source`, as paced when `source`
 * is: `adapt` turns the source's runner into the output's (for a filter, a
 * runner whose work skips the items the filter drops).
 *
 * @param source The operator's source.
 * @param output The operator's result.
 * @param adapt Builds the output's runner from the source's.
 * @returns `output`, marked when `source` was.
 */
export function forwardPacing<S, T>(source: Observable<S>, output: Observable<T>, adapt: (runner: PacedRunner<S>) => PacedRunner<T>): Observable<T> {
  const runner = pacedSourceOf(source);
  return runner === undefined ? output : registerPacedSource(output, adapt(runner));
}
