import { beforeAll, describe, expect, it } from 'vitest';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { upsertPapers } from '../../src/store/papers.js';
import { topicPapers } from '../factories/topics.js';
import { apiTokenFor, serveCommunity, signedUp, type Member } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';

const VEHICLES = ['2501.00100', '2501.00101', '2501.00102', '2501.00103', '2501.00104', '2501.00105'];
const PROTEINS = ['2501.00200', '2501.00201', '2501.00202', '2501.00203', '2501.00204', '2501.00205'];

describe.each(testDatabases())('recommendations API on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);
  let ada: WebClient;
  let bob: WebClient;
  let adaMember: Member;

  beforeAll(async () => {
    const { db, server } = ctx;
    await upsertPapers(db, topicPapers(), { featuredOn: new Date().toISOString().slice(0, 10) });
    // Never featured and long ago: only "every stored paper" reaches it.
    await upsertPapers(db, [
      {
        id: 'hep-th/9901001',
        title: 'Automobile engines and car fuel',
        abstract: 'A car engine and automobile fuel on the road, with the driver.',
        authors: [{ name: 'Old Author' }],
        categories: ['hep-th'],
        publishedOn: '1999-01-04',
      },
    ]);
    await embedPendingPapers(server.ctx);
    await server.ctx.vectorIndexes.active(db);
    adaMember = await signedUp(db, server.url);
    ada = new WebClient(server.url, { authorization: `Bearer ${await apiTokenFor(adaMember)}` });
    bob = new WebClient(server.url, { authorization: `Bearer ${await apiTokenFor(await signedUp(db, server.url))}` });
  });

  const idsOf = (body: { paper: { id: string } }[]) => body.map((item) => item.paper.id);

  it('asks anyone without a token or session to log in', async () => {
    const stranger = new WebClient(ctx.server.url);
    const answers = await Promise.all([
      stranger.json('GET', '/api/recommendations'),
      stranger.json('GET', '/api/follows'),
      stranger.json('POST', '/api/follows', { kind: 'category', target: 'cs.CL' }),
      stranger.json('PUT', '/api/not-interested/2501.00100'),
      new WebClient(ctx.server.url, { authorization: 'Bearer dp_forged' }).json('GET', '/api/recommendations'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers[0]!.body.error).toMatch(/log in/i);
  });

  it('falls back to trending, and says so, for a member with no signals', async () => {
    const { status, body, response } = await bob.json('GET', '/api/recommendations?limit=5');
    expect(status).toBe(200);
    expect(response.headers.get('x-recommendation-basis')).toBe('trending');
    expect(body).toHaveLength(5);
    expect(body[0].reason).toMatch(/^Trending/);
    expect(body[0].paper.title).toEqual(expect.any(String));
  });

  it('learns from an upvote on the next request: related papers first, with the liked paper as the reason', async () => {
    expect((await ada.json('PUT', '/api/votes/2501.00100')).status).toBe(200);
    const { status, body, response } = await ada.json('GET', '/api/recommendations?limit=6');
    expect(status).toBe(200);
    expect(response.headers.get('x-recommendation-basis')).toBe('learned');
    const ids = idsOf(body);
    expect(ids).not.toContain('2501.00100');
    // The five other vehicle papers and the old one (every stored paper is ranked), no protein paper.
    expect(ids.slice(0, 5).every((id) => VEHICLES.includes(id) || id === 'hep-th/9901001')).toBe(true);
    expect(body[0].reason).toBe('Like “Automobile engine efficiency” that you upvoted');
  });

  it('leaves out a paper marked "not interested" until the mark is taken back', async () => {
    const before = idsOf((await ada.json('GET', '/api/recommendations?limit=20')).body);
    const marked = before[0]!;
    const put = await ada.json('PUT', `/api/not-interested/${marked}`);
    expect(put).toMatchObject({ status: 200, body: { paperId: marked, notInterested: true } });
    expect(idsOf((await ada.json('GET', '/api/recommendations?limit=20')).body)).not.toContain(marked);
    expect((await ada.json('DELETE', `/api/not-interested/${marked}`)).body.notInterested).toBe(false);
    expect(idsOf((await ada.json('GET', '/api/recommendations?limit=20')).body)).toContain(marked);
  });

  it('narrows to published dates with from/to, and refuses bad parameters with 400', async () => {
    const ranged = await ada.json('GET', '/api/recommendations?from=2025-01-01&to=2025-12-31&limit=50');
    expect(idsOf(ranged.body)).not.toContain('hep-th/9901001');
    const statuses = await Promise.all(
      [
        '?from=2025-13-01',
        '?from=2025-02-01&to=2025-01-01',
        '?limit=0',
        '?limit=101',
        '?limit=ten',
        '?from=%27%3B%20DROP%20TABLE%20votes%3B--',
        '?to=2025-01-01&to=2025-02-01',
      ].map(async (query) => (await ada.json('GET', `/api/recommendations${query}`)).status),
    );
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400]);
  });

  it('follows an author by normalised name: their papers come with "You follow" as the reason', async () => {
    const followed = await ada.json('POST', '/api/follows', { kind: 'author', target: '  ROSALIND   Fránklin ' });
    expect(followed.status).toBe(200);
    expect(followed.body).toEqual([expect.objectContaining({ kind: 'author', target: 'rosalind franklin' })]);
    const { body } = await ada.json('GET', '/api/recommendations?limit=20');
    const protein = body.find((item: { paper: { id: string } }) => PROTEINS.includes(item.paper.id));
    expect(protein.reason).toBe('You follow Rosalind Franklin');
    // Following again changes nothing.
    expect((await ada.json('POST', '/api/follows', { kind: 'author', target: 'rosalind franklin' })).body).toHaveLength(
      1,
    );
  });

  it('refuses malformed follows with 400 naming the field, and stores hostile text only as text', async () => {
    const bad = [
      { kind: 'planet', target: 'Mars' },
      { kind: 'author', target: '   ' },
      { kind: 'author', target: '1234' },
      { kind: 'category', target: 'not a category' },
      { kind: 'search', target: 'x'.repeat(501) },
      { kind: 'search', target: 5 },
      { kind: 'search' },
      'not an object',
    ];
    for (const body of bad) {
      const answer = await ada.json('POST', '/api/follows', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatch(/kind|target|body|expected/);
    }
    const hostile = `"; DROP TABLE follows; -- <script>alert(1)</script> $\\frac{1}{2}$`;
    const stored = await ada.json('POST', '/api/follows', { kind: 'search', target: hostile });
    expect(stored.status).toBe(200);
    expect(stored.body.map((f: { target: string }) => f.target)).toContain(hostile);
    expect((await ada.json('GET', '/api/recommendations')).status).toBe(200);
    const removed = await ada.json('DELETE', `/api/follows?kind=search&target=${encodeURIComponent(hostile)}`);
    expect(removed.status).toBe(204);
    expect((await ada.json('DELETE', '/api/follows?kind=category&target=cs.CL')).status).toBe(404);
    expect((await ada.json('DELETE', '/api/follows?kind=planet&target=x')).status).toBe(400);
  });

  it('answers 404 for "not interested" in an unknown paper and 400 for a malformed id', async () => {
    expect((await ada.json('PUT', '/api/not-interested/2501.09999')).status).toBe(404);
    expect((await ada.json('PUT', '/api/not-interested/not-an-id')).status).toBe(400);
  });

  it("never shows one member another's recommendations, follows or marks", async () => {
    // Bob has no signals of his own: Ada's upvote, follow and marks change nothing for him.
    const bobs = await bob.json('GET', '/api/recommendations?limit=50');
    expect(bobs.response.headers.get('x-recommendation-basis')).toBe('trending');
    expect(bobs.body.every((item: { reason: string }) => item.reason.startsWith('Trending'))).toBe(true);
    expect((await bob.json('GET', '/api/follows')).body).toEqual([]);
    // Bob cannot remove Ada's follow: the same target is simply not his.
    expect((await bob.json('DELETE', '/api/follows?kind=author&target=Rosalind%20Franklin')).status).toBe(404);
    expect((await ada.json('GET', '/api/follows')).body).toHaveLength(1);
    // Ada's session reads her own list; a write through it without its CSRF header is refused.
    const session = await adaMember.json('GET', '/api/recommendations');
    expect(session.response.headers.get('x-recommendation-basis')).toBe('learned');
    expect((await adaMember.json('POST', '/api/follows', { kind: 'category', target: 'cs.CL' })).status).toBe(403);
  });

  it('brings a paper that matches a followed search once it arrives, though the search was asked just before', async () => {
    const { db, server } = ctx;
    const carol = new WebClient(server.url, {
      authorization: `Bearer ${await apiTokenFor(await signedUp(db, server.url))}`,
    });
    expect((await carol.json('POST', '/api/follows', { kind: 'search', target: 'teleportation' })).status).toBe(200);
    const before = await carol.json('GET', '/api/recommendations?limit=50');
    expect(idsOf(before.body)).not.toContain('2501.00900');
    await upsertPapers(db, [
      {
        id: '2501.00900',
        title: 'Quantum teleportation over long fibres',
        abstract: 'Teleportation of qubits between distant nodes.',
        authors: [{ name: 'New Author' }],
        categories: ['quant-ph'],
        publishedOn: new Date().toISOString().slice(0, 10),
      },
    ]);
    await embedPendingPapers(server.ctx);
    const after = await carol.json('GET', '/api/recommendations?limit=50');
    expect(after.response.headers.get('x-recommendation-basis')).toBe('learned');
    expect(after.body[0]).toMatchObject({
      paper: { id: '2501.00900' },
      reason: 'Matches your followed search “teleportation”',
    });
  });
});
