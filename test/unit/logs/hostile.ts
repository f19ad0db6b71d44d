// Hostile audit lines, shared by the unit and integration tests of the forwarder's hardening.

/** `{"a":{"a":…{"a":<leaf>}…}}`, `depth` objects deep. */
function nested(depth: number, leaf: string): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** Deep enough to overflow any recursive walk of the parsed object (or JSON.stringify) on Node's default stack. */
export const DEPTH = 20_000;
export const deepWithPattern = `{"kind":"Event","verb":"create","user":{"username":"admin"},"requestObject":${nested(DEPTH, '"token=hunter2-secret"')}}`;
export const deepInSecret = `{"kind":"Event","verb":"create","user":{"username":"admin"},"requestObject":{"kind":"Secret","data":{"password":"aHVudGVyMg=="},"metadata":${nested(DEPTH, '"x"')}}}`;

