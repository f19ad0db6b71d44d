/**
 * Whether an HTTP status is worth sending the same request again, for every HTTP caller (Slack, log
 * destinations, the failure-classifying middleware). 2xx is success and is not asked about.
 *
 * Retryable:
 * - 408 Request Timeout: the server closed an idle connection; RFC 9110 §15.5.9 lets the client repeat it.
 * - 425 Too Early: RFC 8470 §5.2, the client may retry once the TLS handshake completed (early data).
 * - 429 Too Many Requests: RFC 6585 §4, with Retry-After.
 * - 5xx, except the ones that say the request itself can never succeed on that server:
 *   501 Not Implemented (the method is not supported, RFC 9110 §15.6.2), 505 HTTP Version Not Supported
 *   (§15.6.6), 506 Variant Also Negotiates (a server configuration error, RFC 2295 §8.1), 508 Loop Detected
 *   (RFC 5842 §7.2), 510 Not Extended (RFC 2774 §7) and 511 Network Authentication Required (a captive
 *   portal that needs a person, RFC 6585 §6). Unknown 5xx (a CDN's 520-530) are retried: RFC 9110 §15.6
 *   reads them as "the server failed", which is transient until shown otherwise.
 *
 * Everything else (other 4xx, 3xx that fetch did not follow, 1xx) is permanent: resending the same request
 * gets the same answer.
 */
const PERMANENT_SERVER_ERRORS: ReadonlySet<number> = new Set([501, 505, 506, 508, 510, 511]);

export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && !PERMANENT_SERVER_ERRORS.has(status);
}
