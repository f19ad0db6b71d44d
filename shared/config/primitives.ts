import * as z from 'zod';

/** Value types several configuration sections share. */
export const ClusterName = z
  .string()
  // EKS: 1-100 characters, begins with an alphanumeric, then alphanumerics, hyphens and underscores.
  .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'must be a valid EKS cluster name (1-100 characters: letters, digits, - and _)');

export const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
export const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID');
export const KubernetesMinor = z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as 1.34');
export const IamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/, 'must be an IAM role ARN');

export const TimeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Paris' },
);

// EventBridge Scheduler cron: six fields, minutes hours day-of-month month day-of-week year.
export const SchedulerCron = z.string().regex(/^cron\((\S+\s+){5}\S+\)$/, 'must be an EventBridge Scheduler cron expression: cron(minutes hours day-of-month month day-of-week year)');
export const RateOrCron = z
  .string()
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\((\S+\s+){5}\S+\))$/, 'must be rate(N minutes|hours|days) or a six-field cron(...) expression');

export function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
