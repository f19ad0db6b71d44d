/**
 * Remove credentials from any text that may contain URLs before it reaches a log, a stored record or Slack:
 * userinfo (`user:pw@`) is dropped and every query parameter value becomes REDACTED.
 */
export function scrubUrl(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => {
    let out = url.replace(/^(https?:\/\/)[^/?#@]*@/i, '$1');
    out = out.replace(/([?&][^=&#\s]*)=[^&#\s]*/g, '$1=REDACTED');
    return out;
  });
}
