import { readdir } from 'node:fs/promises';
import type { BenchGroup } from './group.ts';

/**
 * Every group `npm run bench` knows: each file of groups/ exports one BenchGroup (`export const <name>Group`,
 * named as its file). Adding a group is adding a file; coldstart runs first, the others by name. A file that
 * does not load (a module it imports moved) becomes a group of its file's name that fails when run, so the
 * other groups still run and the failure is reported where that group's figures would be.
 */
export async function loadBenchGroups(): Promise<BenchGroup[]> {
  const directory = new URL('./groups/', import.meta.url);
  const files = (await readdir(directory)).filter((file) => file.endsWith('.ts')).sort();
  const groups: BenchGroup[] = [];
  for (const file of files) {
    let module: Record<string, unknown>;
    try {
      module = (await import(new URL(file, directory).href)) as Record<string, unknown>;
    } catch (error) {
      groups.push(unloadableGroup(file, error));
      continue;
    }
    const group = Object.values(module).find(isBenchGroup);
    if (!group) throw new Error(`bench/groups/${file} exports no bench group`);
    groups.push(group);
  }
  return groups.sort((a, b) => (a.name === 'coldstart' ? -1 : b.name === 'coldstart' ? 1 : a.name.localeCompare(b.name)));
}

function unloadableGroup(file: string, error: unknown): BenchGroup {
  const message = `bench/groups/${file} does not load: ${error instanceof Error ? error.message : String(error)}`;
  return {
    name: file.slice(0, -'.ts'.length),
    description: `(does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    run: () => Promise.reject(new Error(message)),
  };
}

function isBenchGroup(value: unknown): value is BenchGroup {
  return typeof value === 'object' && value !== null && 'name' in value && 'run' in value && typeof (value as BenchGroup).run === 'function';
}
