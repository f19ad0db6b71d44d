import { TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { SendTaskFailureCommandInput, SendTaskHeartbeatCommandInput, SendTaskSuccessCommandInput } from '@aws-sdk/client-sfn';
import type { CallContext, SandboxService, ServiceOutput } from '../account.ts';

/** The callback half of a local state machine runner (local/stepfunctions/runner.ts), which sits above the account. */
export interface TaskCallbackReceiver {
  sendTaskSuccess(taskToken: string, output: unknown): void;
  sendTaskFailure(taskToken: string, error: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
}

/**
 * Step Functions' callback API: SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat answer the task token
 * of whichever of the sandbox's state machines issued it. The errors are the SFN client's own
 * (TaskDoesNotExist, TaskTimedOut), as the runners throw them.
 */
export class SandboxSfn implements SandboxService {
  readonly clientName = 'SFNClient';
  readonly label = 'states';
  readonly #machines: ReadonlyMap<string, TaskCallbackReceiver>;

  constructor(machines: ReadonlyMap<string, TaskCallbackReceiver>) {
    this.#machines = machines;
  }

  readonly commands = {
    SendTaskSuccessCommand: (input: SendTaskSuccessCommandInput, _ctx: CallContext): ServiceOutput<Record<string, never>> => {
      const output: unknown = JSON.parse(input.output ?? 'null');
      this.#answer(input.taskToken, (runner, token) => runner.sendTaskSuccess(token, output));
      return {};
    },
    SendTaskFailureCommand: (input: SendTaskFailureCommandInput, _ctx: CallContext): ServiceOutput<Record<string, never>> => {
      this.#answer(input.taskToken, (runner, token) => runner.sendTaskFailure(token, input.error ?? '', input.cause));
      return {};
    },
    SendTaskHeartbeatCommand: (input: SendTaskHeartbeatCommandInput, _ctx: CallContext): ServiceOutput<Record<string, never>> => {
      this.#answer(input.taskToken, (runner, token) => runner.sendTaskHeartbeat(token));
      return {};
    },
  };

  /** The runner that issued the token answers; a closed token's TaskTimedOut wins over the others' TaskDoesNotExist. */
  #answer(taskToken: string | undefined, send: (runner: TaskCallbackReceiver, token: string) => void): void {
    let timedOut: TaskTimedOut | undefined;
    for (const runner of this.#machines.values()) {
      try {
        send(runner, taskToken ?? '');
        return;
      } catch (error) {
        if (error instanceof TaskTimedOut) timedOut = error;
        else if (!(error instanceof TaskDoesNotExist)) throw error;
      }
    }
    throw timedOut ?? new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} });
  }
}
