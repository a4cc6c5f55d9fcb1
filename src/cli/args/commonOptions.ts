import type { OptionSpecs } from './parseOptions';
import { LIST_OPTIONS } from './listOptions';
import { CONNECTION_OPTIONS } from './connectionOptions';
import { EMULATOR_OPTIONS } from './emulatorOptions';
import { WINDOW_OPTIONS } from './windowOptions';

/** `-h, --help`, which `runCli` gives every command. */
export const HELP_OPTION: OptionSpecs = {
  help: { type: 'boolean', short: 'h', help: 'Show this help and exit' },
};

/** The flags of every command that walks the stored completions: what to walk, the window, and where. */
export const WALK_COMMAND_OPTIONS: OptionSpecs = {
  ...LIST_OPTIONS,
  ...WINDOW_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...EMULATOR_OPTIONS,
};
