import type { BenchGroup } from './group.ts';
import { coldstartGroup } from './groups/coldstart.ts';

/**
 * Every group `npm run bench` knows, in the order they run. Adding a group: a file in groups/ exporting a
 * BenchGroup, and one line here. (To come: logs, scan, tags, upgrade.)
 */
export const benchGroups: readonly BenchGroup[] = [
  coldstartGroup,
];
