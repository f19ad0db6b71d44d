import { compiledTemplate } from '../local/template/compiled-template.ts';

/**
 * Packages the service once before the test workers start: the deployment checks and every sandbox test read
 * the same compiled template, and two `sls package` runs must never race on .serverless/.
 */
export default async function globalSetup(): Promise<void> {
  await compiledTemplate({ log: (line) => process.stderr.write(`${line}\n`) });
}
