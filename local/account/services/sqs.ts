import { createHash, randomUUID } from 'node:crypto';
import { QueueDoesNotExist, type SendMessageCommandInput, type SendMessageCommandOutput } from '@aws-sdk/client-sqs';
import type { CallContext, SandboxService, ServiceOutput } from '../account.ts';

export interface SandboxQueueMessage {
  messageId: string;
  body: string;
  sentAt: Date;
}

/**
 * Amazon SQS in the in-memory account, as far as eksops calls it: SendMessage to a queue that exists (by URL,
 * `https://sqs.<region>.amazonaws.com/<account>/<name>`, as the template's Ref gives it), answered with the
 * MessageId and the body's MD5 as SQS does (the SDK checks that digest). A queue nobody created answers
 * QueueDoesNotExist, as in AWS. The sandbox creates the template's queues when it starts.
 */
export class SandboxSqs implements SandboxService {
  readonly clientName = 'SQSClient';
  readonly label = 'sqs';
  readonly #queues = new Map<string, SandboxQueueMessage[]>();

  createQueue(queueUrl: string): void {
    if (!this.#queues.has(queueUrl)) this.#queues.set(queueUrl, []);
  }

  /** The messages a queue holds, oldest first. */
  messages(queueUrl: string): readonly SandboxQueueMessage[] {
    return this.#queues.get(queueUrl) ?? [];
  }

  readonly commands = {
    SendMessageCommand: (input: SendMessageCommandInput, ctx: CallContext): ServiceOutput<SendMessageCommandOutput> => {
      const queue = input.QueueUrl ? this.#queues.get(input.QueueUrl) : undefined;
      if (!queue || !input.QueueUrl) throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} });
      const body = input.MessageBody ?? '';
      const messageId = randomUUID();
      queue.push({ messageId, body, sentAt: ctx.clock.now() });
      ctx.changed({ service: 'sqs', action: 'SendMessage', resource: input.QueueUrl.split('/').at(-1) ?? input.QueueUrl });
      return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
    },
  };
}
