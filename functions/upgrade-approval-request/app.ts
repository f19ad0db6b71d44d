import * as z from 'zod';
import { eksopsHandler } from '../../shared/middleware/stack.ts';
import { requestApproval } from '../../shared/upgrade/approval/request.ts';
import { RunStateSchema } from '../../shared/upgrade/run-state.ts';
import type { UpgradeDeps } from '../../shared/upgrade/clients.ts';

/** What AskApproval (`lambda:invoke.waitForTaskToken`) sends: the run and the task token to answer. */
const ApprovalRequestEventSchema = z.strictObject({ run: RunStateSchema, taskToken: z.string().min(1).max(2048) });

/** cluster-upgrade, AskApproval: keep the task token, post Approve / Abort to Slack; the answer comes through upgradeApproval. */
export function makeHandler(deps: UpgradeDeps) {
  return eksopsHandler({ schema: ApprovalRequestEventSchema }, (event) => requestApproval(event, deps));
}
