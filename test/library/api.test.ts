import { describe, expect, it } from 'vitest';
import { LIBRARY_LIMITS } from '../../src/library/library.js';
import { setPaperHidden } from '../../src/store/papers.js';
import { createCollection } from '../../src/store/collections.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { apiTokenFor, serveCommunity, signedUp, storedPaper, type Member } from '../community/fixtures.js';

/** A member and a script acting for them with their own API token. */
async function scriptOf(member: Member): Promise<WebClient> {
  return new WebClient(member.baseUrl, { authorization: `Bearer ${await apiTokenFor(member)}` });
}

describe.each(testDatabases())('the library API on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('saves a paper with a note and read state, files it in a collection, lists, filters and removes it', async () => {
    const [first, second] = [await storedPaper(ctx.db), await storedPaper(ctx.db, { id: 'hep-th/9901001' })];
    const ada = await scriptOf(await signedUp(ctx.db, ctx.server.url));

    const made = await ada.json('POST', '/api/collections', { name: '  Reading   group ', description: 'Thursdays' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Reading group', description: 'Thursdays', public: false });
    const collection = made.body.id as string;
    expect(collection).toMatch(/^c_[\w-]{16}$/);

    const note = 'See $\\mathcal{O}(n^2)$ in §3 <b>bold</b>\nsecond line';
    const saved = await ada.json('PUT', `/api/library/${first.id}v2`, { note, collection });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ note, read: false, readAt: null, collections: [collection] });
    expect(saved.body.paper.id).toBe(first.id);
    expect((await ada.json('PUT', `/api/library/${second.id}`, { read: true })).body.read).toBe(true);

    // Saving again changes only what the body names: the note stays, the read state moves.
    const again = await ada.json('PUT', `/api/library/${first.id}`, { read: true });
    expect(again.body).toMatchObject({ note, read: true, collections: [collection] });
    expect(again.body.savedAt).toBe(saved.body.savedAt);

    const all = await ada.json('GET', '/api/library');
    expect(all.body.total).toBe(2);
    expect(all.body.items.map((i: { paper: { id: string } }) => i.paper.id)).toEqual([second.id, first.id]);
    const filed = await ada.json('GET', `/api/library?collection=${collection}`);
    expect(filed.body.items.map((i: { paper: { id: string } }) => i.paper.id)).toEqual([first.id]);
    expect(filed.body).toMatchObject({ total: 1, collection: { id: collection, name: 'Reading group' } });
    await ada.json('PUT', `/api/library/${second.id}`, { read: false });
    expect((await ada.json('GET', '/api/library?state=unread')).body.items[0].paper.id).toBe(second.id);
    expect((await ada.json('GET', '/api/library?state=read&limit=1&p=0')).body).toMatchObject({ total: 1 });
    expect((await ada.json('GET', '/api/collections')).body).toEqual([
      expect.objectContaining({ id: collection, name: 'Reading group', papers: 1, url: `/collections/${collection}` }),
    ]);

    // Out of the collection only, then out of the library; a second removal finds nothing.
    expect((await ada.json('DELETE', `/api/library/${first.id}?collection=${collection}`)).status).toBe(204);
    expect((await ada.json('GET', `/api/library?collection=${collection}`)).body.total).toBe(0);
    expect((await ada.json('GET', '/api/library')).body.total).toBe(2);
    expect((await ada.json('DELETE', `/api/library/${second.id}`)).status).toBe(204);
    expect((await ada.json('DELETE', `/api/library/${second.id}`)).status).toBe(404);
    expect((await ada.json('GET', '/api/library')).body.total).toBe(1);
  });

  it('refuses unknown, removed and malformed papers, oversized notes and malformed bodies, keeping what was stored', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await scriptOf(await signedUp(ctx.db, ctx.server.url));
    expect((await ada.json('PUT', `/api/library/${paper.id}`, { note: 'kept' })).status).toBe(200);

    const unknown = await ada.json('PUT', '/api/library/2501.99999', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('There is no paper 2501.99999.');
    const hidden = await storedPaper(ctx.db);
    await setPaperHidden(ctx.db, hidden.id, true);
    expect((await ada.json('PUT', `/api/library/${hidden.id}`, {})).status).toBe(404);
    const hostileId = await ada.json('PUT', `/api/library/${encodeURIComponent("1' OR '1'='1")}`, {});
    expect(hostileId.status).toBe(400);

    const oversized = await ada.json('PUT', `/api/library/${paper.id}`, {
      note: 'x'.repeat(LIBRARY_LIMITS.noteChars + 1),
    });
    expect(oversized.status).toBe(400);
    expect(oversized.body.error).toContain(`under ${LIBRARY_LIMITS.noteChars} characters`);
    for (const body of [{ note: 5 }, { read: 'yes' }, { collection: ['a'] }, { extra: 1 }, [1, 2], 'note']) {
      const refused = await ada.json('PUT', `/api/library/${paper.id}`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    const nul = await ada.json('PUT', `/api/library/${paper.id}`, { note: 'a\u0000b' });
    expect(nul.status).toBe(400);
    const truncated = await ada.request('PUT', `/api/library/${paper.id}`, {
      body: '{"note": "unfinished',
      headers: { 'content-type': 'application/json' },
    });
    expect(truncated.status).toBe(400);

    const { body } = await ada.json('GET', '/api/library');
    expect(body.items).toHaveLength(1);
    expect(body.items[0].note).toBe('kept');
    for (const query of ['state=maybe', 'limit=0', 'limit=101', 'p=-1', 'collection=x'.padEnd(80, 'x')]) {
      expect((await ada.json('GET', `/api/library?${query}`)).status, query).toBe(400);
    }
  });

  it('keeps collection names unique per member, blank and oversized names out, and the count per member bounded', async () => {
    const member = await signedUp(ctx.db, ctx.server.url);
    const ada = await scriptOf(member);
    expect((await ada.json('POST', '/api/collections', { name: 'Graphs' })).status).toBe(201);
    const twice = await ada.json('POST', '/api/collections', { name: 'GRAPHS' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('You already have a collection named “GRAPHS”.');
    expect((await ada.json('POST', '/api/collections', { name: '   ' })).status).toBe(400);
    const long = await ada.json('POST', '/api/collections', {
      name: 'n'.repeat(LIBRARY_LIMITS.collectionNameChars + 1),
    });
    expect(long.status).toBe(400);
    expect((await ada.json('POST', '/api/collections', { name: 'x', public: 'yes' })).status).toBe(400);
    // Someone else may use the same name.
    const bob = await scriptOf(await signedUp(ctx.db, ctx.server.url));
    expect((await bob.json('POST', '/api/collections', { name: 'graphs' })).status).toBe(201);

    const renamed = await ada.json('GET', '/api/collections');
    const id = renamed.body[0].id as string;
    const published = await ada.json('PATCH', `/api/collections/${id}`, { name: 'Graph learning', public: true });
    expect(published.body).toMatchObject({ name: 'Graph learning', public: true });

    for (let i = 1; i < LIBRARY_LIMITS.collections; i++)
      await createCollection(ctx.db, { userId: member.id, name: `bulk ${i}` });
    const over = await ada.json('POST', '/api/collections', { name: 'one too many' });
    expect(over.status).toBe(409);
    expect(over.body.error).toContain(`${LIBRARY_LIMITS.collections} collections`);
  });

  it('exports a collection as BibTeX, RIS and CSV with the owner’s notes, and refuses unknown formats', async () => {
    const paper = await storedPaper(ctx.db, {
      title: 'Attention, $\\alpha$-style: "quoted"',
      authors: [{ name: 'Grace Hopper' }],
      publishedOn: '2025-02-03',
    });
    const ada = await scriptOf(await signedUp(ctx.db, ctx.server.url));
    const { id } = (await ada.json('POST', '/api/collections', { name: 'Week 5 / reading' })).body;
    await ada.json('PUT', `/api/library/${paper.id}`, { collection: id, note: 'my private note' });

    const bib = await ada.request('GET', `/api/collections/${id}/export?format=bibtex`);
    expect(bib.status).toBe(200);
    expect(bib.headers.get('content-type')).toMatch(/^application\/x-bibtex/);
    expect(bib.headers.get('content-disposition')).toBe('attachment; filename="Week-5-reading.bib"');
    const text = await bib.text();
    expect(text).toContain('@misc{hopper2025attention,');
    expect(text).toContain('title={Attention, $\\alpha$-style: "quoted"}');
    expect(text).toContain(`eprint={${paper.id}}`);
    expect(text).toContain('annote={my private note}');

    const ris = await (await ada.request('GET', `/api/collections/${id}/export?format=ris`)).text();
    expect(ris).toMatch(/^TY {2}- UNPB\r\nTI {2}- Attention/);
    expect(ris).toContain('N1  - my private note');
    const csv = await (await ada.request('GET', `/api/collections/${id}/export?format=csv`)).text();
    expect(csv.split('\r\n')[1]).toContain(
      `${paper.id},"Attention, $\\alpha$-style: ""quoted""",Grace Hopper,2025-02-03`,
    );
    expect((await ada.json('GET', `/api/collections/${id}/export?format=pdf`)).status).toBe(400);

    const library = await (await ada.request('GET', '/api/library/export?format=csv')).text();
    expect(library.split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('shows no member another’s library, private collections or notes, whatever ids or tokens they try', async () => {
    const paper = await storedPaper(ctx.db);
    const adaMember = await signedUp(ctx.db, ctx.server.url);
    const ada = await scriptOf(adaMember);
    const bob = await scriptOf(await signedUp(ctx.db, ctx.server.url));
    const secret = (await ada.json('POST', '/api/collections', { name: 'Secret' })).body.id as string;
    const open = (await ada.json('POST', '/api/collections', { name: 'Open', public: true })).body.id as string;
    await ada.json('PUT', `/api/library/${paper.id}`, { collection: secret, note: 'ada only' });
    await ada.json('PUT', `/api/library/${paper.id}`, { collection: open });

    // Bob sees his own (empty) library, and Ada's collections answer him exactly like ids that name none.
    expect((await bob.json('GET', '/api/library')).body).toEqual({ items: [], total: 0, collection: null });
    expect((await bob.json('GET', '/api/collections')).body).toEqual([]);
    const guessed = await bob.json('GET', '/api/library?collection=c_AAAAAAAAAAAAAAAA');
    for (const id of [secret, open]) {
      const foreign = await bob.json('GET', `/api/library?collection=${id}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(guessed.body);
      expect((await bob.json('PUT', `/api/library/${paper.id}`, { collection: id })).status).toBe(404);
      expect((await bob.json('DELETE', `/api/library/${paper.id}?collection=${id}`)).status).toBe(404);
      expect((await bob.json('PATCH', `/api/collections/${id}`, { public: true, name: 'mine' })).status).toBe(404);
    }
    expect((await bob.json('GET', `/api/library?collection=${secret}`)).body).toEqual(guessed.body);
    expect((await bob.json('DELETE', `/api/library/${paper.id}`)).status).toBe(404);
    const privateExport = await bob.json('GET', `/api/collections/${secret}/export`);
    expect(privateExport.status).toBe(404);
    expect(privateExport.body).toEqual((await bob.json('GET', '/api/collections/c_nothing/export')).body);

    // A public collection exports to anyone, without its owner's notes.
    const stranger = new WebClient(ctx.server.url);
    const shared = await stranger.request('GET', `/api/collections/${open}/export?format=csv`);
    expect(shared.status).toBe(200);
    const sharedText = await shared.text();
    expect(sharedText).toContain(paper.id);
    expect(sharedText).not.toContain('ada only');
    expect((await stranger.json('GET', `/api/collections/${secret}/export`)).status).toBe(404);
    expect((await stranger.json('GET', '/api/library')).status).toBe(401);
    expect((await stranger.json('PUT', `/api/library/${paper.id}`, {})).status).toBe(401);
    const forged = new WebClient(ctx.server.url, { authorization: 'Bearer dp_not-a-token' });
    expect((await forged.json('GET', '/api/library')).status).toBe(401);

    // A session without its CSRF token cannot write (a page on another site could send the cookie).
    const session = await adaMember.json('PUT', `/api/library/${paper.id}`, { note: 'forged' });
    expect(session.status).toBe(403);
    const { body } = await ada.json('GET', `/api/library?collection=${secret}`);
    expect(body.items[0].note).toBe('ada only');
  });
});
