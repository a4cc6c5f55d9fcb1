import { createInterface } from 'node:readline';
import type { CliContext } from './CliContext';

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
