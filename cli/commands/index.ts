import type { Command } from '../command.ts';
import { configValidate } from './config-validate.ts';
import { LOGS_COMMANDS } from './logs.ts';
import { sandbox } from './sandbox.ts';
import { TAGS_COMMANDS } from './tags.ts';
import { UPGRADE_COMMANDS } from './upgrade.ts';

export const COMMANDS: readonly Command[] = [sandbox, configValidate, ...LOGS_COMMANDS, ...TAGS_COMMANDS, ...UPGRADE_COMMANDS];
