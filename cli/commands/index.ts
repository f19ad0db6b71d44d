import type { Command } from '../command.ts';
import { configValidate } from './config-validate.ts';
import { sandbox } from './sandbox.ts';

export const COMMANDS: readonly Command[] = [sandbox, configValidate];
