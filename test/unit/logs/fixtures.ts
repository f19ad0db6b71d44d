import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's own copies of the team's sample logs (test/fixtures/logs/, see SOURCES.md there). */
export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/logs');

export function fixtureLines(file: string): string[] {
  return readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').filter((line) => line.trim() !== '');
}

export function fixtureJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as T;
}

let counter = 0;
/** A 56-digit CloudWatch event id, unique within the test run. */
export function eventId(): string {
  counter += 1;
  return `3195310660696698337880902507980421114328961542429${String(counter).padStart(7, '0')}`;
}
