// Secrets are never stored with provider exchanges or audit events; this is a second guard for
// what is shown (on a page, or sent to the audit page when a row is opened).
const SECRET_KEY = /^(authorization|access_token|refresh_token|token|client_secret|secret|password|api[-_]?key|checksum)$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1),
    ]),
  );
}

/** A stored JSON value as people read it: pretty-printed, secrets redacted; null when there is none. */
export function jsonText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(redact(value), null, 2);
}
