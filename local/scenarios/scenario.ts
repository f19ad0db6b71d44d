import type { BusEvent } from '../eventbus/bus.ts';
import type { Sandbox, SandboxOptions } from '../sandbox.ts';
import type { Timeline } from './timeline.ts';

export interface ScenarioContext {
  sandbox: Sandbox;
  timeline: Timeline;
  /** Says what the scenario does next. */
  step(text: string): void;
  /** Puts an event on the local bus, as AWS would, and shows where it went. */
  publish(event: BusEvent): Promise<void>;
  /** An outcome the scenario promises; a false one fails the scenario (and `npm start`). */
  check(description: string, holds: boolean): void;
}

export interface Scenario {
  name: string;
  title: string;
  /** Changes to the sandbox configuration this scenario runs with. */
  sandbox?: Omit<SandboxOptions, 'log'>;
  run(context: ScenarioContext): Promise<void>;
}
