import { readdir } from 'node:fs/promises';
import type { BenchGroup } from './group.ts';

/**
 * Every group `npm run bench` knows: each file of groups/ exports one BenchGroup (`export const <name>Group`).
 * Adding a group is adding a file; coldstart runs first, the others by name.
 */
export async function loadBenchGroups(): Promise<BenchGroup[]> {
  const directory = new URL('./groups/', import.meta.url);
  const files = (await readdir(directory)).filter((file) => file.endsWith('.ts')).sort();
  const groups: BenchGroup[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, directory).href)) as Record<string, unknown>;
    const group = Object.values(module).find(isBenchGroup);
    if (!group) throw new Error(`bench/groups/${file} exports no bench group`);
    groups.push(group);
  }
  return groups.sort((a, b) => (a.name === 'coldstart' ? -1 : b.name === 'coldstart' ? 1 : a.name.localeCompare(b.name)));
}

function isBenchGroup(value: unknown): value is BenchGroup {
  return typeof value === 'object' && value !== null && 'name' in value && 'run' in value && typeof (value as BenchGroup).run === 'function';
}
