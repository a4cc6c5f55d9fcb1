import { execFile } from 'node:child_process';

/** What a command run on a pseudo-terminal left: its exit code and everything the terminal received. */
export interface TerminalRun {
  readonly code: number | null;
  /** The raw bytes the terminal received, stdout and stderr interleaved as written, `\n` turned into `\r\n` by the terminal. */
  readonly transcript: string;
}

/**
 * Runs a command with stdout and stderr on one pseudo-terminal, as a user's
 * shell runs it, through util-linux `script` (stdin stays a pipe, so a
 * command that asks on a terminal does not). Only where the terminal is the
 * point: everything else runs in process.
 *
 * @param command The program and its arguments.
 * @param env The child's whole environment.
 * @param timeoutMs How long it may run before it is killed.
 * @returns The exit code and the transcript.
 */
export function runOnTerminal(command: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<TerminalRun> {
  const line = command.map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    // -q: no start and end banners; -e: its exit code is the command's; /dev/null: no typescript file.
    const child = execFile('script', ['-q', '-e', '-c', line, '/dev/null'], { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new Error(`script failed to run ${line}: ${error.message}`));
        return;
      }
      resolve({ code: error === null ? 0 : (error.code as number), transcript: stdout });
    });
    child.stdin?.end();
  });
}

/** Whether util-linux `script` is there to give a command a pseudo-terminal. */
export async function hasScript(): Promise<boolean> {
  return new Promise((resolve) => execFile('script', ['--version'], (error) => resolve(error === null)));
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The lines a terminal shows once `transcript` has been written to it: a
 * carriage return goes back to the start of the line, `ESC [ K` erases to its
 * end, other escape sequences change nothing visible, and text overwrites what
 * it lands on.
 *
 * @param transcript What the terminal received.
 * @returns Its lines, top to bottom, without trailing empty ones.
 */
export function screenLines(transcript: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let column = 0;
  for (let i = 0; i < transcript.length; i++) {
    const char = transcript[i] as string;
    if (char === '\r') {
      column = 0;
    } else if (char === '\n') {
      row += 1;
      column = 0;
      lines[row] ??= [];
    } else if (char === '\x1b') {
      const sequence = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(transcript.slice(i, i + 16));
      if (sequence === null) continue;
      if (sequence[0].endsWith('K')) (lines[row] as string[]).length = column;
      i += sequence[0].length - 1;
    } else {
      const line = lines[row] as string[];
      while (line.length < column) line.push(' ');
      line[column] = char;
      column += 1;
    }
  }
  const text = lines.map((line) => line.join(''));
  while (text.length > 0 && text.at(-1) === '') text.pop();
  return text;
}
