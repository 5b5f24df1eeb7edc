/**
 * The `Link: <…>; rel="next"` header of a list page (RFC 8288), as the Hub's paged lists send it:
 * the same request with the next page number (or, asked by offset, the next offset), absolute.
 */
export function nextPageLink(site: string, requestUrl: string, next: { p: number } | { offset: number }): string {
  const url = new URL(requestUrl, site);
  if ('p' in next) {
    url.searchParams.set('p', String(next.p));
    url.searchParams.delete('offset');
  } else {
    url.searchParams.set('offset', String(next.offset));
    url.searchParams.delete('p');
  }
  return `<${site}${url.pathname}${url.search}>; rel="next"`;
}
