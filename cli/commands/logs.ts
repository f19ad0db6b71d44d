import type { Command } from '../command.ts';

/** `eksops logs …` commands. */
export const LOGS_COMMANDS: readonly Command[] = [];
