import { describe, expect, it } from 'vitest';
import { LIBRARY_LIMITS } from '../../src/library/library.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { serveCommunity, signedUp, storedPaper, type Member } from '../community/fixtures.js';

/** The id of the member's collection of this name, from their library page. */
async function collectionId(member: Member, name: string): Promise<string> {
  const { html } = await member.page('/library');
  const match = new RegExp(`<a href="/library\\?collection=(c_[\\w-]+)">${name}</a>`).exec(html);
  expect(match, `collection ${name} on /library`).not.toBeNull();
  return match![1]!;
}

describe.each(testDatabases())('library pages on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('saves a paper from a card without JavaScript, shows it saved, and lists it on /library', async () => {
    const paper = await storedPaper(ctx.db, {
      title: 'Sparse $\\alpha$-attention <i>now</i>',
      authors: [{ name: 'Ada Lovelace' }, { name: 'Kurt <b>Gödel</b>' }],
    });
    const ada = await signedUp(ctx.db, ctx.server.url);
    const home = await ada.page('/');
    expect(home.html).toContain(`<form class="save" method="post" action="/library/save" data-paper-id="${paper.id}">`);

    const saved = await ada.post('/library/save', { paper: paper.id, return_to: '/' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/');
    const after = await ada.page('/');
    expect(after.html).toMatch(/<form class="save saved" method="post" action="\/library\/remove"/);
    expect(after.html).toContain('aria-pressed="true" title="Remove from your library">Saved ✓</button>');
    expect((await ada.page(`/papers/${paper.id}`)).html).toContain('Saved ✓');

    const library = await ada.page('/library');
    expect(library.status).toBe(200);
    expect(library.html).toContain('1 paper.');
    expect(library.html).toContain(`data-paper-id="${paper.id}"`);
    expect(library.html).not.toContain('<i>now</i>');
    expect(library.html).toContain('&lt;i&gt;now&lt;/i&gt;');
    // Its authors link to their pages, their names escaped.
    expect(library.html).toContain(
      '<a href="/authors/ada+lovelace">Ada Lovelace</a>, <a href="/authors/kurt+%3Cb%3Egodel%3C%2Fb%3E">Kurt &lt;b&gt;Gödel&lt;/b&gt;</a>',
    );

    // Anonymous readers get a link to log in instead, and /library sends them there.
    const visitor = new WebClient(ctx.server.url);
    expect((await visitor.page('/')).html).toContain('<a class="save-link" href="/login?next=%2F"');
    const away = await visitor.request('GET', '/library?state=read');
    expect(away.status).toBe(303);
    expect(away.headers.get('location')).toBe('/login?next=%2Flibrary%3Fstate%3Dread');
  });

  it('edits notes (escaped when shown), marks read and unread, filters, and removes', async () => {
    const [one, two] = [await storedPaper(ctx.db), await storedPaper(ctx.db)];
    const ada = await signedUp(ctx.db, ctx.server.url);
    for (const paper of [one, two]) await ada.post('/library/save', { paper: paper.id, return_to: '/library' });

    const note = '<script>alert(1)</script> see $x^2$\nline two';
    const noted = await ada.post('/library/item', { paper: one.id, note, return_to: '/library' });
    expect(noted.status).toBe(303);
    const page = await ada.page('/library');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; see $x^2$\nline two</textarea>');

    expect((await ada.post('/library/item', { paper: one.id, read: 'true', return_to: '/library' })).status).toBe(303);
    const unread = await ada.page('/library?state=unread');
    expect(unread.html).toContain(`data-paper-id="${two.id}"`);
    expect(unread.html).not.toContain(`data-paper-id="${one.id}"`);
    const read = await ada.page('/library?state=read');
    expect(read.html).toContain(`data-paper-id="${one.id}"`);
    expect(read.html).toContain('Mark unread');
    expect(read.html).toContain('see $x^2$'); // the note survived marking it read

    // Refusals: an oversized note, a bad read value, an unknown paper, a forged form. Nothing stored is lost.
    const oversized = await ada.post('/library/item', {
      paper: one.id,
      note: 'n'.repeat(LIBRARY_LIMITS.noteChars + 1),
    });
    expect(oversized.status).toBe(400);
    expect(await oversized.text()).toContain(`under ${LIBRARY_LIMITS.noteChars} characters`);
    expect((await ada.post('/library/item', { paper: one.id, read: 'maybe' })).status).toBe(400);
    expect((await ada.post('/library/save', { paper: '2501.99999' })).status).toBe(404);
    expect((await ada.post('/library/save', {})).status).toBe(400);
    expect((await ada.post('/library/item', { paper: one.id, note: 'forged', _csrf: 'wrong' })).status).toBe(403);
    expect((await ada.page('/library?state=read')).html).toContain('see $x^2$');
    expect((await ada.page('/library?state=sideways')).status).toBe(400);

    expect((await ada.post('/library/remove', { paper: two.id, return_to: '/library' })).status).toBe(303);
    expect((await ada.page('/library')).html).toContain('1 paper.');
    const elsewhere = await ada.post('/library/remove', { paper: one.id, return_to: 'https://evil.example/' });
    expect(elsewhere.headers.get('location')).toBe('/');
  });

  it('creates, fills, renames and publishes collections; a public one has a page and feeds, a private one is 404 to others', async () => {
    const paper = await storedPaper(ctx.db, { title: 'Graph <b>networks</b> & friends' });
    const ada = await signedUp(ctx.db, ctx.server.url);
    const bob = await signedUp(ctx.db, ctx.server.url);
    await ada.post('/library/save', { paper: paper.id });
    const created = await ada.post('/collections', { name: 'Graphs' });
    expect(created.status).toBe(303);
    const id = await collectionId(ada, 'Graphs');
    expect(created.headers.get('location')).toBe(`/library?collection=${id}`);
    await ada.post('/library/save', { paper: paper.id, collection: id });
    expect((await ada.page(`/library?collection=${id}`)).html).toContain('Remove from this collection');
    expect((await ada.page(`/library?collection=${id}`)).html).toContain(`/api/collections/${id}/export?format=bibtex`);

    // Private: its owner sees the page; everyone else gets the 404 of an unknown id, feeds included.
    expect((await ada.page(`/collections/${id}`)).status).toBe(200);
    const visitor = new WebClient(ctx.server.url);
    for (const client of [visitor, bob]) {
      expect((await client.page(`/collections/${id}`)).status).toBe(404);
      expect((await client.request('GET', `/collections/${id}/feed.xml`)).status).toBe(404);
      // A visitor has no session whose CSRF token the form could carry: refused before anything else.
      expect((await client.post(`/collections/${id}`, { name: 'stolen', public: 'true' })).status).toBe(
        client === bob ? 404 : 403,
      );
    }
    expect((await bob.post('/library/save', { paper: paper.id, collection: id })).status).toBe(404);

    expect((await ada.post(`/collections/${id}`, { name: 'Graph learning', public: 'true' })).status).toBe(303);
    const page = await visitor.page(`/collections/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Graph learning</h1>');
    expect(page.html).toContain('Graph &lt;b&gt;networks&lt;/b&gt; &amp; friends');
    expect(page.html).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Graph learning (Atom)" href="/collections/${id}/atom.xml">`,
    );
    const rss = await visitor.request('GET', `/collections/${id}/feed.xml`);
    expect(rss.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
    const rssText = await rss.text();
    expect(rssText).toContain('<title>Graph learning · dailypapers</title>');
    expect(rssText).toContain('<title>Graph &lt;b&gt;networks&lt;/b&gt; &amp; friends</title>');
    const etag = rss.headers.get('etag')!;
    expect(
      (await visitor.request('GET', `/collections/${id}/feed.xml`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    const atom = await (await visitor.request('GET', `/collections/${id}/atom.xml`)).text();
    expect(atom).toContain(
      `<link rel="self" type="application/atom+xml" href="${ctx.server.url}/collections/${id}/atom.xml"/>`,
    );
    expect(atom).toContain(`<id>https://arxiv.org/abs/${paper.id}</id>`);

    // Unticking "public" (the checkbox sends nothing) makes it private again.
    expect((await ada.post(`/collections/${id}`, { name: 'Graph learning' })).status).toBe(303);
    expect((await visitor.page(`/collections/${id}`)).status).toBe(404);
    expect((await ada.post('/collections', { name: 'graph LEARNING' })).status).toBe(409);
    expect((await ada.post('/collections', { name: ' ' })).status).toBe(400);
    expect((await visitor.page('/collections/c_guessed0000000000')).status).toBe(404);
  });
});
