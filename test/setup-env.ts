// Tests never reach AWS: a region and inert credentials keep the SDK's provider chain from probing the
// instance metadata service, and Powertools writes nothing to stdout.
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'AKIATESTTESTTESTTEST';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_SERVICE_NAME ??= 'eksops';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'eksops';
