import type { SandboxPlugin } from '../sandbox-core.ts';
import { ACCESS } from './access.ts';
import { LOGS } from './logs.ts';
import { TAGS } from './tags.ts';
import { UPGRADE } from './upgrade.ts';

/** Every capability's sandbox plugin, in the order the sandbox connects them. */
export const SANDBOX_PLUGINS: readonly SandboxPlugin[] = [ACCESS, LOGS, TAGS, UPGRADE];
