import type { OptionSpecs } from './parseOptions';
import { LIST_OPTIONS } from './listOptions';
import { CONNECTION_OPTIONS } from './connectionOptions';
import { EMULATOR_OPTIONS } from './emulatorOptions';
import { WINDOW_OPTIONS } from './windowOptions';

/** `--help`, which every command takes. */
export const HELP_OPTION: OptionSpecs = {
  help: { type: 'boolean', help: 'Show this help and exit' },
};

/** The flags of every command that walks the stored completions: what to walk, the window, where, and `--help`. */
export const WALK_COMMAND_OPTIONS: OptionSpecs = {
  ...LIST_OPTIONS,
  ...WINDOW_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...EMULATOR_OPTIONS,
  ...HELP_OPTION,
};
