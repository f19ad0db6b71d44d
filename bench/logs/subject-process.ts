// One subject of the log bench in a process of its own: the forwarder, the forwarder with gzip, the blueprint
// or the floor. The parent asks for a pass over every payload ("run") and gets its wall and CPU time back, so
// that rounds of the subjects can still be interleaved, while no subject pays for the garbage another left
// in a shared heap (that moved single rounds by a factor of two). Each process stays warm between passes, as
// a Lambda container does between invocations.
import { readFileSync } from 'node:fs';
import { benchBlueprint } from './blueprint-run.ts';
import { floorWork } from './floor.ts';
import { benchForwarder } from './forwarder-run.ts';

export type SubjectName = 'forwarder' | 'gzip' | 'blueprint' | 'floor';

/** What the parent sends: a payload file written once, so that every subject works on the same bytes. */
export interface BenchPayloadFile {
  events: { awslogs: { data: string } }[];
  /** Whether each payload is an audit one (the floor parses audit messages). */
  audit: boolean[];
}

export interface SubjectSample {
  wallMs: number;
  cpuMs: number;
}

const [subject, payloadFile, sinkPort, repoRoot] = process.argv.slice(2) as [SubjectName, string, string, string];
const { events, audit } = JSON.parse(readFileSync(payloadFile, 'utf8')) as BenchPayloadFile;
const sinkUrl = `http://127.0.0.1:${sinkPort}`;

function subjectWork(): () => Promise<void> {
  switch (subject) {
    case 'forwarder':
    case 'gzip': {
      const forward = benchForwarder(sinkUrl, { gzip: subject === 'gzip' });
      return async () => {
        for (const event of events) await forward(event);
      };
    }
    case 'blueprint': {
      const blueprint = benchBlueprint(repoRoot, Number(sinkPort));
      return async () => {
        for (const event of events) await blueprint.run(event);
      };
    }
    case 'floor':
      return async () => {
        events.forEach((event, index) => floorWork(event, audit[index] ?? false));
      };
    default:
      throw new Error(`unknown bench subject ${String(subject)}`);
  }
}

const work = subjectWork();

async function pass(): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.send?.({ wallMs, cpuMs: (used.user + used.system) / 1000 } satisfies SubjectSample);
}

process.on('message', () => {
  pass().catch((error: unknown) => {
    process.stderr.write(`bench subject ${subject} failed: ${String(error)}\n`);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
