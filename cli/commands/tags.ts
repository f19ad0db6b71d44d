import type { Command } from '../command.ts';

/** `eksops tags …` commands. */
export const TAGS_COMMANDS: readonly Command[] = [];
