import { StoredCompletionsError } from '../errors';

/**
 * The command line itself is wrong: an unknown flag, a bad value, flags that
 * exclude each other, a missing API key. The CLI prints the message with a
 * pointer to `--help` and exits with code 2, as opposed to 1 for failures
 * that happen while running. Part of the one error hierarchy: a {@link StoredCompletionsError}.
 */
export class UsageError extends StoredCompletionsError {
  /**
   * @param message What is wrong, naming the flag and the value.
   */
  constructor(message: string) {
    super(message, 'usage_error');
  }
}
