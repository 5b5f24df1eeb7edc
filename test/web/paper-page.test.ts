import { describe, expect, it } from 'vitest';
import { upsertPapers } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { getPage, visibleText } from '../helpers/pages.js';
import { serveFreshDatabase } from '../helpers/server.js';

describe.each(testDatabases())('paper page on $dialect', ({ create }) => {
  const arxiv = paperRecord({
    id: '2203.06604',
    title: 'Masked Autoencoders for Point Cloud Self-supervised Learning',
    abstract:
      'We propose Point-MAE. Code: https://github.com/Pang-Yatian/Point-MAE and https://example.org/point-mae/ for demos.',
    authors: [{ name: 'Yatian Pang', affiliation: 'Peking University' }, { name: 'Wenxiao Wang' }],
    categories: ['cs.CV', 'cs.LG'],
    publishedOn: '2022-03-13',
    revisedOn: '2022-03-28',
    version: 2,
    doi: '10.1007/978-3-031-20086-1_35',
    journalRef: 'ECCV 2022',
    comments: 'Accepted to ECCV 2022 & more',
  });
  const oldStyle = paperRecord({
    id: 'hep-th/9901001',
    title: 'Old-style identifiers still work',
    publishedOn: '1999-01-04',
  });
  const fromDoi = paperRecord({
    id: 'doi:10.1101/2024.01.02.123456',
    title: 'A preprint from elsewhere',
    publishedOn: '2024-01-02',
  });
  const hostile = paperRecord({
    title: '<script>alert(1)</script> & friends: $x^2 < y$',
    abstract:
      'We show \\(\\alpha \\le 1\\) & <b>bold</b> claims. \\href{javascript:alert(3)}{Click} <script>alert(2)</script>',
    authors: [{ name: 'Eve <script>', affiliation: '"Evil" & Co' }],
  });

  const web = serveFreshDatabase(create, async (db) => {
    await upsertPapers(db, [arxiv, oldStyle, hostile], { featuredOn: '2026-11-27' });
    await upsertPapers(db, [fromDoi]);
  });
  const open = (path: string) => getPage(`${web.server.url}${path}`);

  it('shows everything about an arXiv paper', async () => {
    const page = await open(`/papers/2203.06604`);
    expect(page.status).toBe(200);
    const text = visibleText(page.html);
    expect(text).toContain('Masked Autoencoders for Point Cloud Self-supervised Learning');
    expect(text).toContain('Yatian Pang (Peking University)');
    expect(text).toContain('Wenxiao Wang');
    expect(text).toContain('We propose Point-MAE.');
    expect(text).toContain('Published 13 Mar 2022');
    expect(text).toContain('Latest version v2, 28 Mar 2022');
    expect(text).toContain('Featured 27 Nov 2026');
    expect(text).toContain('Journal reference ECCV 2022');
    expect(text).toContain('Comments Accepted to ECCV 2022 & more');
    expect(page.html).toContain(
      '<li class="category primary"><a href="/search?category=cs.CV&amp;sort=date">cs.CV</a></li><li class="category"><a href="/search?category=cs.LG&amp;sort=date">cs.LG</a></li>',
    );
    expect(page.html).toContain('href="https://arxiv.org/abs/2203.06604"');
    expect(page.html).toContain('href="https://arxiv.org/pdf/2203.06604"');
    expect(page.html).toContain('href="https://github.com/Pang-Yatian/Point-MAE"');
    expect(page.html).toContain('href="https://example.org/point-mae/"');
    expect(page.html).toContain('href="https://doi.org/10.1007/978-3-031-20086-1_35"');
    expect(page.html).toContain('href="/papers/date/2026-11-27"');
  });

  it('offers a BibTeX entry as selectable text, with a copy button for scripts to reveal', async () => {
    const page = await open(`/papers/2203.06604`);
    const entry = /<pre class="bibtex" id="bibtex" tabindex="0">([\s\S]*?)<\/pre>/.exec(page.html)?.[1];
    expect(entry).toContain('@misc{pang2022masked,');
    expect(entry).toContain('  eprint={2203.06604},');
    expect(page.html).toContain(
      '<button type="button" class="copy-button" data-copy="bibtex" hidden>Copy BibTeX</button>',
    );
    expect(page.html).toContain('<script src="/static/copy.js" defer></script>');
    const script = await fetch(`${web.server.url}/static/copy.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('navigator.clipboard');
  });

  it('serves old-style ids with a slash and source ids, with arXiv links only for arXiv papers', async () => {
    const old = await open(`/papers/hep-th/9901001`);
    expect(old.status).toBe(200);
    expect(visibleText(old.html)).toContain('Old-style identifiers still work');
    expect(old.html).toContain('href="https://arxiv.org/pdf/hep-th/9901001"');

    const doi = await open(`/papers/doi:10.1101/2024.01.02.123456`);
    expect(doi.status).toBe(200);
    expect(visibleText(doi.html)).toContain('A preprint from elsewhere');
    expect(doi.html).not.toContain('arxiv.org');
    expect(doi.html).toContain('href="https://doi.org/10.1101/2024.01.02.123456"');
    expect(visibleText(doi.html)).not.toContain('Featured');
  });

  it('redirects versioned and other non-canonical ids to the canonical address', async () => {
    for (const [path, target] of [
      ['/papers/2203.06604v2', '/papers/2203.06604'],
      ['/papers/arXiv:2203.06604', '/papers/2203.06604'],
      ['/papers/hep-th/9901001v3', '/papers/hep-th/9901001'],
      ['/papers/2203.06604/', '/papers/2203.06604'],
    ]) {
      const response = await fetch(`${web.server.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(301);
      expect(response.headers.get('location')).toBe(target);
    }
  });

  it('renders hostile titles, abstracts and authors as text and their LaTeX with KaTeX', async () => {
    const page = await open(`/papers/${hostile.id}`);
    expect(page.status).toBe(200);
    expect(page.html.match(/<script/g)).toHaveLength(1); // only copy.js
    expect(page.html).not.toContain('<b>bold</b>');
    expect(page.html).not.toMatch(/href="javascript:/i);
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends: <span class="math"');
    expect(page.html.match(/class="katex"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(page.html).toContain('<link rel="stylesheet" href="/static/katex/katex.min.css">');
    const text = visibleText(page.html);
    expect(text).toContain('& <b>bold</b> claims. Click <script>alert(2)</script>');
    expect(text).toContain('Eve <script> ("Evil" & Co)');
    // The title in <title> is plain escaped text.
    expect(page.html).toContain(
      '<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends: $x^2 &lt; y$ · dailypapers</title>',
    );
  });

  it('never links a stored link that is not http(s)', async () => {
    await web.db.kysely
      .updateTable('papers')
      .set({ github_url: 'javascript:alert(1)', project_url: 'data:text/html,x' })
      .where('id', '=', fromDoi.id)
      .execute();
    const page = await open(`/papers/${fromDoi.id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toMatch(/href="(javascript|data):/);
    expect(visibleText(page.html)).not.toContain('GitHub');
  });

  it('does not load KaTeX on a paper without math', async () => {
    const page = await open(`/papers/2203.06604`);
    expect(page.html).not.toContain('/static/katex/');
  });

  it('answers an unknown id with a 404 page and a malformed one with a 400 page', async () => {
    const missing = await open(`/papers/2401.99999`);
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('text/html');
    expect(visibleText(missing.html)).toContain('There is no paper 2401.99999 here yet.');

    for (const path of [
      '/papers/not-a-paper',
      '/papers/1399.00001',
      '/papers/evil:<script>',
      `/papers/${'x'.repeat(3000)}`,
      '/papers/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    ]) {
      const page = await open(`${path}`);
      expect(page.status, path).toBe(400);
      expect(page.contentType).toContain('text/html');
      expect(page.html).not.toContain('<script>alert');
      expect(visibleText(page.html)).toContain('is not a paper id');
    }
  });

  it('hides a paper that moderators hid', async () => {
    await web.db.kysely.updateTable('papers').set({ hidden: 1 }).where('id', '=', oldStyle.id).execute();
    expect((await open(`/papers/hep-th/9901001`)).status).toBe(404);
  });
});
