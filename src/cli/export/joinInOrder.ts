import {
  AsyncSubject,
  BehaviorSubject,
  concat,
  combineLatest,
  concatMap,
  defer,
  EMPTY,
  first,
  from,
  ignoreElements,
  merge,
  mergeMap,
  of,
  Subject,
  tap,
  type Observable,
} from 'rxjs';
import type { CompletionLine } from './pageLines';

/**
 * The input messages of a completion, page by page, as the raw JSON text the
 * server sent: `page` is given each page's messages, separated by commas (''
 * for a page of none), in order, and the walk waits for the Observable it
 * returns before it asks for more. The Observable emits `true` once every page
 * was read, or `false` when the completion is gone (404), deleted since the
 * walk listed it; then completes.
 */
export type MessagePages = (completionId: string, page: (text: string) => Observable<never>) => Observable<boolean>;

/**
 * Hands the completions of a page to the join; the Observable completes, and
 * emits nothing, once each of them has a place among the joins at work, so
 * that a walk that waits for it (`processPages`) is paced by the join.
 */
export type Admit = (lines: readonly CompletionLine[]) => Observable<never>;

/** What the join writes of one completion, once its turn has come: its pages of messages, in order, then its end. */
export interface JoinedLine {
  /** Takes pages of messages, in order (see {@link MessagePages}); completes once the output can take more. */
  pages(texts: readonly string[]): Observable<never>;
  /** Ends the completion, after its last page; `gone` when the server no longer has it, whatever pages came before. */
  end(gone: boolean): Observable<never>;
}

/** How much a join may take on at once. */
export interface JoinLimits {
  /** How many completions' messages are read at once. */
  readonly concurrency: number;
  /**
   * How many characters of messages a completion may hold while it waits for
   * its turn, beyond which its walk waits for its turn: the completion whose
   * turn it is never waits for it.
   */
  readonly aheadChars: number;
  /**
   * How many completions' messages are read at once while the conversations
   * are long: from the first completion that holds `aheadChars` and waits for
   * its turn, until one is read whole within `aheadChars`.
   */
  readonly longConcurrency: number;
}

/**
 * Joins each completion of a walk to its input messages, `concurrency` at a
 * time, and writes each in the walk's order, whatever order the message walks
 * finish in.
 *
 * The completion whose turn it is (every completion before it is written)
 * hands each page to its {@link JoinedLine} as it arrives, and its walk waits
 * for the output. The others read ahead, each holding its pages until its
 * turn, up to `aheadChars`: beyond that, its walk waits for its turn. So
 * memory holds a page of the completion being written and at most
 * `aheadChars` (and a page) of each of the others, and whatever the line
 * keeps (a line written page by page keeps nothing), however long the
 * conversations; while conversations of a few pages, the usual case, are read
 * whole at once, `concurrency` of them.
 *
 * Long conversations are read `longConcurrency` at a time: the ones ahead
 * could only read `aheadChars` of theirs anyway, and the pages they held would
 * outlive the collector's young generation, which then grows the heap. Over a
 * slow network that makes an export of long conversations run at about a page
 * per round trip: a larger `aheadChars` buys it speed with memory. Once a completion has to wait
 * for its turn, no more start until fewer than `longConcurrency` are under way;
 * once one is read whole within `aheadChars`, `concurrency` start again.
 *
 * The places are shared by every page of the walk: a completion of the next
 * page starts as soon as one of the current page's has been written, so the
 * joins at work do not dip at page ends. A place is held from the start of a
 * completion's message walk until its line's `end` completes.
 *
 * The Observable errors with the first error of the walk, of a message walk or
 * of a line, unsubscribing the rest; what was written before stays written, in
 * order, with no gap.
 *
 * @param walk Subscribes to the walk, which hands each page's kept completions to `admit` and waits for it.
 * @param messages Where messages come from.
 * @param limits How many completions at once, and how much they may hold before their turn.
 * @param open Starts the line of a completion, once its turn has come.
 * @returns An Observable that completes once the walk ended and every admitted completion was written.
 */
export function joinInOrder(
  walk: (admit: Admit) => Observable<unknown>,
  messages: MessagePages,
  limits: JoinLimits,
  open: (completion: CompletionLine) => JoinedLine,
): Observable<never> {
  return defer(() => {
    // How many completions are started and not yet written, and whether their conversations are long.
    const started = new BehaviorSubject(0);
    const long = new BehaviorSubject(false);
    const pace = (isLong: boolean): void => {
      if (long.value !== isLong) long.next(isLong);
    };
    const joins = new Subject<Observable<never>>();
    // Each completion's turn comes once the one before it was written.
    let previousWritten: Observable<never> = EMPTY;
    const join = (completion: CompletionLine): Observable<never> => {
      const turn = previousWritten;
      const written = new AsyncSubject<never>();
      previousWritten = written;
      const conversation = new Conversation(limits.aheadChars, pace);
      return merge(
        concat(turn, defer(() => conversation.write(open(completion)))),
        messages(completion.id, (text) => conversation.read(text)).pipe(
          tap({ next: (read) => conversation.finish(!read) }),
          ignoreElements(),
        ),
      ).pipe(
        tap({
          complete: () => {
            written.complete();
            started.next(started.value - 1);
          },
        }),
      );
    };
    const admit: Admit = (lines) =>
      from(lines).pipe(
        concatMap((line) =>
          combineLatest([started, long]).pipe(
            first(([count, isLong]) => count < (isLong ? limits.longConcurrency : limits.concurrency)),
            tap(() => {
              started.next(started.value + 1);
              joins.next(join(line));
            }),
          ),
        ),
        ignoreElements(),
      );
    return merge(
      joins.pipe(mergeMap((joined) => joined)),
      walk(admit).pipe(
        ignoreElements(),
        tap({ complete: () => joins.complete() }),
      ),
    );
  });
}

/**
 * The pages of one completion on their way from its message walk to its line:
 * held until its turn, then handed to the line in order: all those held at
 * once, then each as it arrives.
 */
class Conversation {
  /** Pages read, not yet handed to the line. */
  private readonly queue: string[] = [];
  /** A page was read, or the walk ended. */
  private readonly arrivals = new Subject<void>();
  /** How many pages the line has taken. */
  private readonly taken = new BehaviorSubject(0);
  private pagesRead = 0;
  /** Characters of the pages read: before the turn, what the completion holds. */
  private chars = 0;
  private turnCame = false;
  private gone = false;

  /**
   * @param aheadChars How many characters may be held before the turn without the walk waiting.
   * @param pace Told that the conversations are long (one waits for its turn), or not (one was read whole within `aheadChars`).
   */
  constructor(
    private readonly aheadChars: number,
    private readonly pace: (long: boolean) => void,
  ) {}

  /**
   * A page read: completes once the walk may read the next. From the turn on,
   * that is once the line took this page; before it, at once while what is
   * held is within `aheadChars`, and otherwise once the turn came and the line
   * took it.
   */
  read(text: string): Observable<never> {
    const index = this.pagesRead++;
    this.queue.push(text);
    this.chars += text.length;
    this.arrivals.next();
    const taken = this.taken.pipe(
      first((count) => count > index),
      ignoreElements(),
    );
    if (this.turnCame) return taken;
    if (this.chars <= this.aheadChars) return EMPTY;
    this.pace(true);
    return taken;
  }

  /** The message walk ended: `gone` when the completion was not found. */
  finish(gone: boolean): void {
    this.gone = gone;
    if (gone) this.queue.splice(0);
    else if (this.chars <= this.aheadChars) this.pace(false);
    this.arrivals.complete();
  }

  /**
   * The turn has come: hands the line what was held and what comes, then ends it.
   *
   * @param line The completion's line.
   * @returns An Observable that completes once the line's end did.
   */
  write(line: JoinedLine): Observable<never> {
    this.turnCame = true;
    const handOver = (): Observable<never> =>
      defer(() => {
        const pages = this.queue.splice(0);
        if (pages.length === 0) return EMPTY;
        return line.pages(pages).pipe(tap({ complete: () => this.taken.next(this.taken.value + pages.length) }));
      });
    // `arrivals` first: a page read while the first hand-over is written is heard.
    return concat(
      merge(this.arrivals, of(undefined)).pipe(concatMap(handOver)),
      handOver(),
      defer(() => line.end(this.gone)),
    );
  }
}
