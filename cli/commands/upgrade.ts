import type { Command } from '../command.ts';

/** `eksops upgrade …` commands. */
export const UPGRADE_COMMANDS: readonly Command[] = [];
