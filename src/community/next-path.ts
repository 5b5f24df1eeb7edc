/** Where to go after logging in: a local path only, so a crafted link cannot bounce the user to another site. */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 500) return '/';
  return /[\r\n]/.test(raw) ? '/' : raw;
}
