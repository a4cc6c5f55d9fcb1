import { createInterface } from 'node:readline';
import type { CliContext } from './CliContext';
import { UsageError } from './UsageError';

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
 * every completion by accident.
 *
 * @param question The question, e.g. `Delete every stored completion?`.
 * @param refusal What the command would do, for the refusal: `` `rxsc delete` would delete every stored completion ``.
 * @param context The CLI's edges.
 * @returns Whether the answer was yes.
 * @throws {UsageError} when stdin is not a terminal.
 */
export async function askFirst(question: string, refusal: string, context: CliContext): Promise<boolean> {
  if (context.stdin?.isTTY !== true) {
    throw new UsageError(`${refusal}; it asks first, and stdin is not a terminal: pass --yes to go ahead without asking, or --dry-run to list them`);
  }
  return confirm(question, context);
}
