import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedAtomLookup, startArxivServer, type ArxivServer } from '../helpers/arxiv-server.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { apiTokenFor, paperRow, serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';

let arxiv: ArxivServer;
const arxivEnv: Record<string, string> = { ARXIV_DELAY_MS: '0', ARXIV_RETRIES: '0', ARXIV_CONTACT: 'ops@example.org' };
beforeAll(async () => {
  arxiv = await startArxivServer(recordedAtomLookup());
  arxivEnv.ARXIV_API_URL = arxiv.apiUrl;
});
afterAll(async () => arxiv.close());

describe.each(testDatabases())('BibTeX import on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, () => arxivEnv);

  it('matches arXiv ids and DOIs from eprint, doi, url and journal, looks unknown papers up, and reports the rest by line', async () => {
    const byEprint = await storedPaper(ctx.db);
    const byUrl = await storedPaper(ctx.db, { id: 'hep-th/9901001' });
    const byDoi = await storedPaper(ctx.db, { doi: '10.1000/ABC.123' });
    const member = await signedUp(ctx.db, ctx.server.url);
    const ada = new WebClient(ctx.server.url, { authorization: `Bearer ${await apiTokenFor(member)}` });
    const { id } = (await ada.json('POST', '/api/collections', { name: 'Imported' })).body;

    const file = `@article{first, title={Title with $\\LaTeX$ and \\"{o}}, eprint={${byEprint.id}v3}, archivePrefix={arXiv}}
@misc{second, url={https://arxiv.org/abs/${byUrl.id}}}
@inproceedings{third, doi={https://doi.org/10.1000/abc.123}}
@article{scholar, journal={arXiv preprint arXiv:1605.08386}}
@misc{first, eprint={${byUrl.id}}}
@misc{nothing, title={No identifiers at all}}
@misc{unknown, doi={10.9999/nowhere}}
@misc{unclosed, title={Oops, eprint={2101.00001},
@misc{last, eprint={${byEprint.id}}}
`;
    const lookups = () => arxiv.requests.filter((r) => r.query.get('id_list') === '1605.08386').length;
    const lookupsBefore = lookups();
    const imported = await ada.json('POST', `/api/collections/${id}/import`, { bibtex: file });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      imported: 4,
      repeated: 1,
      lookedUp: 1,
      problems: [
        { line: 5, message: 'the key first is used before, on line 1; skipped' },
        { line: 6, message: 'nothing names no arXiv id or DOI (eprint, doi or url)' },
        { line: 7, message: 'no paper with DOI 10.9999/nowhere here' },
        { line: 8, message: 'the entry is not closed (unbalanced braces?)' },
      ],
    });
    const listed = await ada.json('GET', `/api/library?collection=${id}`);
    expect(listed.body.items.map((i: { paper: { id: string } }) => i.paper.id).sort()).toEqual(
      ['1605.08386', byDoi.id, byEprint.id, byUrl.id].sort(),
    );
    expect((await paperRow(ctx.db, '1605.08386')).title).toBeTruthy();
    expect(lookups() - lookupsBefore).toBe(1);

    // Importing again changes nothing and asks arXiv nothing.
    const before = arxiv.requests.length;
    const again = await ada.json('POST', `/api/collections/${id}/import`, { bibtex: file });
    expect(again.body.imported).toBe(4);
    expect(again.body.lookedUp).toBe(0);
    expect(arxiv.requests.length).toBe(before);
    expect((await ada.json('GET', `/api/library?collection=${id}`)).body.total).toBe(4);
  });

  it('says why when arXiv cannot be reached, and still imports the stored papers', async () => {
    const stored = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    await ada.post('/collections', { name: 'Offline' });
    const id = /collection=(c_[\w-]+)">Offline</.exec((await ada.page('/library')).html)![1]!;
    arxiv.respond(() => ({ status: 503, body: 'down' }));
    try {
      const page = await ada.post(`/collections/${id}/import`, {
        bibtex: `@misc{a, eprint={${stored.id}}}\n@misc{b, eprint={1707.08567}}\n`,
      });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('1 paper imported; 1 entry skipped.');
      expect(html).toContain('Line 2: arXiv could not be reached to look up 1707.08567; import the file again later');
    } finally {
      arxiv.respond(recordedAtomLookup());
    }
  });

  it('reads a hostile 5 MB file (unbalanced braces, LaTeX, duplicate keys, deep nesting) in bounded time, importing the good entries', async () => {
    const good = await storedPaper(ctx.db);
    const member = await signedUp(ctx.db, ctx.server.url);
    const ada = new WebClient(ctx.server.url, { authorization: `Bearer ${await apiTokenFor(member)}` });
    const { id } = (await ada.json('POST', '/api/collections', { name: 'Hostile' })).body;
    const chunks = [`@misc{good, title={$\\frac{a}{b}$ \\'{e} \\{ \\}}, eprint={${good.id}}}\n`];
    let size = chunks[0]!.length;
    for (let i = 0; size < 5 * 1024 * 1024 - 70_000; i++) {
      const chunk = [
        `@misc{dup, eprint={${good.id}}}\n`,
        `@misc{open${i}, title={${'{'.repeat(500)}never closed\n`,
        `@misc{latex${i}, title={\\begin{equation}\\int_0^\\infty e^{-x}dx\\end{equation}}, eprint={not-an-id}}\n`,
        `@misc{big${i}, abstract={${'b'.repeat(60_000)}}}\n`,
      ][i % 4]!;
      chunks.push(chunk);
      size += chunk.length;
    }
    const started = Date.now();
    const answer = await ada.json('POST', `/api/collections/${id}/import`, { bibtex: chunks.join('') });
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(answer.body.imported).toBe(1);
    const messages = new Set(answer.body.problems.map((p: { message: string }) => p.message.replace(/\w+\d+/g, 'X')));
    expect(messages).toEqual(
      new Set([
        'the key dup is used before, on line 2; skipped',
        'the entry is not closed (unbalanced braces?)',
        'X names no arXiv id or DOI (eprint, doi or url)',
      ]),
    );
    expect((await ada.json('GET', `/api/library?collection=${id}`)).body.total).toBe(1);

    // Over the size limit, or not BibTeX at all, or not the member's collection: refused, nothing stored.
    const oversized = await ada.json('POST', `/api/collections/${id}/import`, {
      bibtex: 'x'.repeat(6 * 1024 * 1024 + 1),
    });
    expect(oversized.status).toBe(400);
    expect((await ada.json('POST', `/api/collections/${id}/import`, { bibtex: 'just text' })).status).toBe(400);
    expect((await ada.json('POST', `/api/collections/${id}/import`, { bibtex: 5 })).status).toBe(400);
    const bob = await signedUp(ctx.db, ctx.server.url);
    expect((await bob.post(`/collections/${id}/import`, { bibtex: `@misc{a, eprint={${good.id}}}` })).status).toBe(404);
  });
});
