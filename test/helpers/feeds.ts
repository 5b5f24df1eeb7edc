import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { expect } from 'vitest';

/** RFC 822 dates as RSS 2.0 requires them (four-digit years, as the RSS Advisory Board recommends). */
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
/** RFC 3339 date-times as Atom requires them. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

function rootOf(xml: string): { name: string; attributes: Record<string, string> } {
  const validation = XMLValidator.validate(xml);
  expect(validation, `not well-formed XML: ${JSON.stringify(validation)}`).toBe(true);
  const document = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', ignoreDeclaration: true }).parse(
    xml,
  ) as Record<string, Record<string, string>>;
  const name = Object.keys(document)[0]!;
  return { name, attributes: document[name]! };
}

function expectAbsoluteUrl(url: string | undefined): void {
  expect(() => new URL(url ?? '')).not.toThrow();
}

/**
 * Checks well-formedness (fast-xml-parser), parses with feedsmith (which refuses a document that is
 * not RSS) and checks the RSS 2.0 rules on what it read: required channel and item elements,
 * RFC 822 dates, absolute links, unique guids, and the atom:link to itself.
 */
export function parseValidRss(xml: string) {
  const root = rootOf(xml);
  expect(root.name).toBe('rss');
  expect(root.attributes.version).toBe('2.0');
  const feed = parseRssFeed(xml);
  expect(feed.title).toBeTruthy();
  expect(feed.description).toBeTruthy();
  expectAbsoluteUrl(feed.link);
  expect(feed.lastBuildDate).toMatch(RFC822);
  const self = feed.atom?.links?.find((l) => l.rel === 'self');
  expectAbsoluteUrl(self?.href);
  expect(self?.type).toBe('application/rss+xml');
  const items = feed.items ?? [];
  for (const item of items) {
    expect(item.title || item.description).toBeTruthy();
    expectAbsoluteUrl(item.link);
    expect(item.guid?.value).toBeTruthy();
    expect(item.guid?.isPermaLink).toBe(false);
    expect(item.pubDate).toMatch(RFC822);
    expect(item.enclosures ?? []).toEqual([]);
  }
  expect(new Set(items.map((i) => i.guid?.value)).size).toBe(items.length);
  return { ...feed, items };
}

/**
 * The same for Atom 1.0 (RFC 4287): feed and entry ids are absolute IRIs and unique, titles and
 * RFC 3339 `updated` everywhere, an author for every entry (its own or the feed's), a self link on
 * the feed and an alternate link on every entry.
 */
export function parseValidAtom(xml: string) {
  const root = rootOf(xml);
  expect(root.name).toBe('feed');
  expect(root.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
  const feed = parseAtomFeed(xml);
  expect(feed.id).toMatch(ABSOLUTE_IRI);
  expect(feed.title?.value).toBeTruthy();
  expect(feed.updated).toMatch(RFC3339);
  const self = feed.links?.find((l) => l.rel === 'self');
  expectAbsoluteUrl(self?.href);
  const entries = feed.entries ?? [];
  for (const entry of entries) {
    expect(entry.id).toMatch(ABSOLUTE_IRI);
    expect(entry.title?.value).toBeTruthy();
    expect(entry.updated).toMatch(RFC3339);
    expect(entry.published).toMatch(RFC3339);
    expect((entry.authors?.length ?? 0) + (feed.authors?.length ?? 0)).toBeGreaterThan(0);
    expectAbsoluteUrl(entry.links?.find((l) => l.rel === 'alternate')?.href);
  }
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  return { ...feed, entries };
}
