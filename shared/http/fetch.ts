/**
 * The HTTP-out seam (Slack, log destinations, registries, vulnerability data). Cores take a `Fetch`;
 * production passes the global fetch, tests pass the same global fetch pointed at loopback servers.
 */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export const defaultFetch: Fetch = (input, init) => fetch(input, init);
