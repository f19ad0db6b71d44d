import { ACCESS } from './access.ts';
import type { SandboxCapability } from './capability.ts';
import { LOGS } from './logs.ts';
import { TAGS } from './tags.ts';
import { UPGRADE } from './upgrade.ts';

export const CAPABILITIES: readonly SandboxCapability[] = [ACCESS, LOGS, TAGS, UPGRADE];
