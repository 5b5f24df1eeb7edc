/** The origin same-site targets are resolved against; a target that resolves anywhere else is refused. */
const THIS_SITE = 'http://this-site.invalid';

/**
 * Where to send a visitor (after logging in, voting, any redirect): a path on this site, or `/`.
 * The target is resolved the way a browser resolves a Location header (WHATWG URL: `\` read as
 * `/`, `..` applied, tabs and newlines dropped, though those are refused first), so neither
 * `/\t/evil.example` nor `/..//evil.example` can name another host. The answer is the URL's own
 * serialisation: percent-encoded printable ASCII that any header can carry.
 */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.length > 2000) return '/';
  // Control characters in a target only ever mean a crafted link.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, THIS_SITE);
  } catch {
    return '/';
  }
  const path = url.pathname + url.search + url.hash;
  return url.origin === THIS_SITE && !path.startsWith('//') ? path : '/';
}
