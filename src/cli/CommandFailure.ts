import { StoredCompletionsError } from '../errors';

/**
 * A command failed while running, and the message says why in the user's
 * terms (which flag, which URL, what to check). The CLI prints it and exits
 * with code 1; any other unexpected error is printed the same way.
 */
export class CommandFailure extends StoredCompletionsError {
  /**
   * @param message The explanation for the user.
   * @param options The underlying error, as `cause`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'command_failed', options);
  }
}
