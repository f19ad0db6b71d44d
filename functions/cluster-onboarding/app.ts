import { CreateClusterEventSchema } from '../../shared/access/create-cluster-event.ts';
import { type ClusterOnboardingDeps, onboardCluster } from '../../shared/access/onboard-cluster.ts';
import { asynchronousInvocation } from '../../shared/middleware/failure-queue.ts';
import { eksopsHandler } from '../../shared/middleware/stack.ts';

export type { ClusterOnboardingDeps };

/** clusterOnboarding (EventBridge, asynchronous): CloudTrail CreateCluster → onboardCluster. */
export function makeHandler(deps: ClusterOnboardingDeps) {
  return eksopsHandler({ schema: CreateClusterEventSchema, correlationIdPath: 'id', ...asynchronousInvocation(deps) }, (event) => onboardCluster(event, deps));
}
