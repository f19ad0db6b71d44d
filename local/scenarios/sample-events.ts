import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../template/compiled-template.ts';
import type { BusEvent } from '../eventbus/bus.ts';

/** A sample event of events/ (the AWS documentation samples the project keeps as fixtures). */
export function sampleEvent(file: string): BusEvent {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', file), 'utf8')) as BusEvent;
}
