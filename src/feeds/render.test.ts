import { describe, expect, it } from 'vitest';
import { paper } from '../../test/factories/papers.js';
import { parseValidAtom, parseValidRss } from '../../test/helpers/feeds.js';
import type { Paper } from '../store/papers.js';
import { DEFAULT_FEED_PARAMS } from './params.js';
import { feedDocument, renderAtom, renderRss } from './render.js';

const BASE = 'https://papers.example.org';

const hostile = paper({
  id: '2611.04242',
  title: 'Bounds where $x<y$ & \\emph{Attention} <script>alert(1)</script>\u0007',
  abstract: 'We show $\\alpha < \\beta$ & <b>bold</b> claims: \\textbf{R&D} \u0000holds.',
  authors: [{ name: 'Émilie du Châtelet' }, { name: "O'Brien & Sons" }],
  categories: ['cs.CL', 'math.PR'],
  featuredOn: '2026-11-28',
  upvotes: 12,
  numComments: 3,
  modifiedAt: '2026-11-28T10:15:30.250Z',
});
const plain = paper({
  id: 'hep-th/9901001',
  title: 'Strings',
  featuredOn: null,
  publishedOn: '1999-01-05',
  upvotes: 1,
  numComments: 1,
});
const biorxiv = paper({ id: 'doi:10.1101/2024.01.02.123456', title: 'A preprint', authors: [], categories: [] });

function renderBoth(papers: Paper[]) {
  const doc = feedDocument(DEFAULT_FEED_PARAMS, papers, BASE, new Date('2026-11-28T10:15:30.250Z'));
  return { rss: parseValidRss(renderRss(doc)), atom: parseValidAtom(renderAtom(doc)) };
}

describe('feed rendering', () => {
  it('keeps titles and abstracts with LaTeX, <, & and markup as text, without control characters', () => {
    const { rss, atom } = renderBoth([hostile]);
    const title = 'Bounds where $x<y$ & \\emph{Attention} <script>alert(1)</script>';
    expect(rss.items[0]!.title).toBe(title);
    expect(atom.entries[0]!.title).toEqual({ value: title, type: 'text' });
    expect(atom.entries[0]!.summary).toEqual({
      value: 'We show $\\alpha < \\beta$ & <b>bold</b> claims: \\textbf{R&D} holds.',
      type: 'text',
    });
    // The HTML bodies carry the abstract as escaped text: a reader shows `<b>` literally, never bold or a script.
    for (const body of [rss.items[0]!.description!, atom.entries[0]!.content!.value!]) {
      expect(body).toContain(
        '<p>We show $\\alpha &lt; \\beta$ &amp; &lt;b&gt;bold&lt;/b&gt; claims: \\textbf{R&amp;D} holds.</p>',
      );
      expect(body).not.toMatch(/<(b|script)>/);
    }
  });

  it('gives each item its link, stable id, authors, categories, counts and featured day', () => {
    const { rss, atom } = renderBoth([hostile, plain]);
    expect(rss.items.map((i) => i.guid?.value)).toEqual(['2611.04242', 'hep-th/9901001']);
    const item = rss.items[0]!;
    expect(item.link).toBe(`${BASE}/papers/2611.04242`);
    expect(item.pubDate).toBe('Sat, 28 Nov 2026 00:00:00 GMT');
    expect(item.dc?.creators).toEqual(['Émilie du Châtelet', "O'Brien & Sons"]);
    expect(item.categories).toEqual([
      { name: 'cs.CL', domain: 'https://arxiv.org/archive/' },
      { name: 'math.PR', domain: 'https://arxiv.org/archive/' },
    ]);
    expect(item.slash?.comments).toBe(3);
    expect(item.comments).toBe(`${BASE}/papers/2611.04242#comments`);
    expect(item.description).toContain(
      '▲ 12 upvotes · 3 comments · cs.CL, math.PR · <a href="https://arxiv.org/abs/2611.04242">arXiv</a>',
    );
    expect(rss.items[1]!.description).toContain('▲ 1 upvote · 1 comment');
    // Never featured: dated by publication.
    expect(rss.items[1]!.pubDate).toBe('Tue, 05 Jan 1999 00:00:00 GMT');
    expect(rss.items[1]!.link).toBe(`${BASE}/papers/hep-th/9901001`);

    const entry = atom.entries[0]!;
    expect(entry.id).toBe('https://arxiv.org/abs/2611.04242');
    expect(entry.links).toEqual([
      { rel: 'alternate', type: 'text/html', href: `${BASE}/papers/2611.04242` },
      { rel: 'related', type: 'text/html', href: 'https://arxiv.org/abs/2611.04242' },
    ]);
    expect(entry.published).toBe('2026-11-28T00:00:00.000Z');
    expect(entry.updated).toBe('2026-11-28T10:15:30.250Z');
    expect(entry.authors).toEqual([{ name: 'Émilie du Châtelet' }, { name: "O'Brien & Sons" }]);
    expect(entry.categories?.map((c) => c.term)).toEqual(['cs.CL', 'math.PR']);
  });

  it('describes the channel with self links and the time of its latest change', () => {
    const { rss, atom } = renderBoth([hostile]);
    expect(rss.title).toBe('Daily papers · dailypapers');
    expect(rss.link).toBe(`${BASE}/`);
    expect(rss.lastBuildDate).toBe('Sat, 28 Nov 2026 10:15:30 GMT');
    expect(rss.atom?.links).toEqual([{ href: `${BASE}/feed.xml`, rel: 'self', type: 'application/rss+xml' }]);
    expect(atom.id).toBe(`${BASE}/atom.xml`);
    expect(atom.updated).toBe('2026-11-28T10:15:30.250Z');
    expect(atom.links?.find((l) => l.rel === 'self')?.href).toBe(`${BASE}/atom.xml`);
  });

  it('renders papers from other sources and with no authors as valid entries', () => {
    const { rss, atom } = renderBoth([biorxiv]);
    expect(rss.items[0]!.guid?.value).toBe('doi:10.1101/2024.01.02.123456');
    expect(atom.entries[0]!.id).toBe('doi:10.1101/2024.01.02.123456');
    expect(atom.entries[0]!.authors).toBeUndefined();
    expect(atom.authors).toEqual([{ name: 'dailypapers' }]);
  });

  it('renders an empty feed as a valid document updated at the start of the day', () => {
    const doc = feedDocument(DEFAULT_FEED_PARAMS, [], BASE, null, new Date('2026-11-29T15:00:00Z'));
    expect(parseValidRss(renderRss(doc)).items).toEqual([]);
    expect(parseValidAtom(renderAtom(doc)).updated).toBe('2026-11-29T00:00:00.000Z');
  });
});
