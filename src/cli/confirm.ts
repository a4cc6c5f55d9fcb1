import { createInterface } from 'node:readline';
import type { CliContext } from './CliContext';
import { EXIT } from './cliDefaults';
import { UsageError } from './UsageError';
import { interruptExitCode } from './walk/runWalk';

/**
 * Asks a yes/no question on the terminal: the question on stderr, the answer
 * from stdin. Only `y` or `yes` (any case) is yes; an empty line, anything
 * else, the end of input or an interrupt is no.
 *
 * @param question The question, without the `[y/N]`.
 * @param context The CLI's edges; its stdin must be a terminal.
 * @returns Whether the answer was yes.
 */
export async function confirm(question: string, context: CliContext): Promise<boolean> {
  const { stdin } = context;
  if (stdin === undefined) return false;
  const reader = createInterface({ input: stdin, terminal: false });
  try {
    const answer = new Promise<string>((resolve) => {
      reader.once('line', resolve);
      reader.once('close', () => resolve(''));
      if (context.signal.aborted) resolve('');
      context.signal.addEventListener('abort', () => resolve(''), { once: true });
    });
    context.stderr.write(`${question} [y/N] `);
    return /^(y|yes)$/i.test((await answer).trim());
  } finally {
    reader.close();
  }
}

/**
 * Asks before a command changes many completions at once (`delete`, `tag
 * --unset` without a filter): on a terminal, a `[y/N]` prompt; with stdin not
 * a terminal, a refusal that names `--yes`, so that a script never acts on
 * every completion by accident. An answer other than yes says so on stderr
 * (`declined`) and gives the exit code: an interrupt's, or a failure's.
 *
 * @param question The question, e.g. `Delete every stored completion?`.
 * @param refusal What the command would do, for the refusal: `` `rxsc delete` would delete every stored completion ``.
 * @param declined What a no leaves done, e.g. `Nothing deleted.`
 * @param context The CLI's edges.
 * @returns `undefined` to go ahead, or the exit code of a no.
 * @throws {UsageError} when stdin is not a terminal.
 */
export async function askFirst(question: string, refusal: string, declined: string, context: CliContext): Promise<number | undefined> {
  if (context.stdin?.isTTY !== true) {
    throw new UsageError(`${refusal}; it asks first, and stdin is not a terminal: pass --yes to go ahead without asking, or --dry-run to list them`);
  }
  if (await confirm(question, context)) return undefined;
  context.stderr.write(`${declined}\n`);
  return context.signal.aborted ? interruptExitCode(context.signal) : EXIT.failure;
}
