import { mapStates, type AslDefinition, type AslState, type JsonObject, type TaskState, type WaitState } from './asl.ts';

/**
 * The Task resource that stands for a Wait state when a definition runs locally: its handler moves virtual
 * time by what the Wait would have waited (see virtual-wait.ts).
 */
export const VIRTUAL_WAIT_RESOURCE = 'arn:aws:states:::eksops-local:virtual-wait';

const FIELDS_KEPT_AS_THEY_ARE = new Set(['Type', 'Comment', 'Next', 'End', 'QueryLanguage']);
const FIELDS_REWRITTEN = new Set(['InputPath', 'OutputPath', 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']);
const INDEFINITE_PATH = /\*|\.\.|\?|@|,|:/;

/**
 * A copy of `definition` in which every Wait state, at any depth (Parallel branches, Map `Iterator` and
 * `ItemProcessor`), is a Task state on {@link VIRTUAL_WAIT_RESOURCE} with the same name and `Next`/`End`.
 * One state stays one state, so the execution makes exactly the same state transitions.
 *
 * The Wait's duration travels in the Task's `Parameters` (`Seconds`, `Timestamp`, or `Seconds.$` /
 * `Timestamp.$` for the path forms), rather than in a table keyed by state name: the definition stays
 * self-describing, the interpreter resolves the paths with the JSONPath and Context Object (`$$`) semantics
 * the Wait had, and the handler is one stateless function.
 *
 * A Wait's output is its effective input (after `InputPath`), then `OutputPath`. The Task gets the same with
 * `ResultPath: null` (its output is its raw input) and the Wait's `InputPath` folded into the other paths:
 * `OutputPath` becomes `InputPath` + `OutputPath`, and likewise for `SecondsPath` and `TimestampPath`. The obvious
 * alternative, passing the input through as `"Input.$": "$"`, fails in aws-local-stepfunctions whenever the
 * input is `null`, `0`, `false` or `""` (its JSONPath library finds nothing at `$` for a falsy document), as
 * after a Lambda that returns nothing.
 */
export function replaceWaitsWithClockTasks(definition: AslDefinition): AslDefinition {
  return mapStates(definition, (state, name) => (state.Type === 'Wait' ? virtualWaitTask(state, name) : state));
}

function virtualWaitTask(wait: WaitState, name: string): AslState {
  const unsupported = (reason: string) => new Error(`Wait state "${name}" cannot run locally: ${reason}`);
  const unknownFields = Object.keys(wait).filter((field) => !FIELDS_KEPT_AS_THEY_ARE.has(field) && !FIELDS_REWRITTEN.has(field));
  if (unknownFields.length > 0) throw unsupported(`unsupported fields ${unknownFields.join(', ')}`);
  if ('QueryLanguage' in wait && wait.QueryLanguage !== 'JSONPath') throw unsupported('only JSONPath Waits are supported');

  const { InputPath, OutputPath, Seconds, SecondsPath, Timestamp, TimestampPath, ...kept } = wait;
  if (typeof InputPath === 'string' && INDEFINITE_PATH.test(InputPath)) throw unsupported(`InputPath ${InputPath} is not a definite path`);
  if (InputPath === null && (SecondsPath !== undefined || TimestampPath !== undefined || (OutputPath !== undefined && OutputPath !== '$'))) {
    throw unsupported('with InputPath null, only Seconds or Timestamp and no OutputPath');
  }
  const within = (path: string) => pathWithinInputPath(InputPath ?? undefined, path);

  const Parameters: JsonObject = {};
  if (Seconds !== undefined) Parameters.Seconds = Seconds;
  if (SecondsPath !== undefined) Parameters['Seconds.$'] = within(SecondsPath);
  if (Timestamp !== undefined) Parameters.Timestamp = Timestamp;
  if (TimestampPath !== undefined) Parameters['Timestamp.$'] = within(TimestampPath);

  const outputPath = outputPathOf(InputPath, OutputPath);
  const task: TaskState = {
    ...kept,
    Type: 'Task',
    Resource: VIRTUAL_WAIT_RESOURCE,
    Parameters,
    ResultPath: null,
    ...(outputPath !== undefined && { OutputPath: outputPath }),
  };
  return task;
}

/** The Task's OutputPath, applied to the raw input, for the Wait's InputPath then OutputPath. */
function outputPathOf(inputPath: string | null | undefined, outputPath: string | null | undefined): string | null | undefined {
  // A null path makes the value {}: with `OutputPath: null` the Task's output is {} as well.
  if (inputPath === null || outputPath === null) return null;
  if (outputPath === undefined) return inputPath;
  return pathWithinInputPath(inputPath, outputPath);
}

/** `path`, evaluated on the raw input, as it would be on the effective input selected by `inputPath`. */
function pathWithinInputPath(inputPath: string | undefined, path: string): string {
  if (inputPath === undefined || inputPath === '$' || path.startsWith('$$')) return path;
  return `${inputPath}${path.slice(1)}`;
}
