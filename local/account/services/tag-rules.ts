/**
 * Tag rules shared by most AWS services (EKS, EC2, Auto Scaling differ only in the exception class):
 * at most 50 user tags per resource, keys 1-128 characters, values at most 256, and the `aws:` prefix is
 * reserved for AWS (Tagging AWS resources, "Tag naming limits and requirements").
 */
export const MAX_TAGS_PER_RESOURCE = 50;

export function validateTags(added: Record<string, string>, existing: Record<string, string>, fail: (message: string) => Error): void {
  for (const [key, value] of Object.entries(added)) {
    if (key.length < 1 || key.length > 128) throw fail(`Tag key must be 1-128 characters: ${key}`);
    if (value.length > 256) throw fail(`Tag value for ${key} must be at most 256 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw fail(`Tag keys starting with 'aws:' are reserved for AWS use: ${key}`);
  }
  const total = new Set([...Object.keys(existing), ...Object.keys(added)]).size;
  if (total > MAX_TAGS_PER_RESOURCE) throw fail(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this request would leave ${total}`);
}
