import { describe, expect, it } from 'vitest';
import { saveThumbnail } from '../../src/store/thumbnails.js';
import { DELETED_MEMBER } from '../../src/store/users.js';
import { SITEMAP_PAPERS } from '../../src/web/handlers/sitemap_show.js';
import { featurePapers } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { getPage } from '../helpers/pages.js';
import { serveFreshDatabase } from '../helpers/server.js';

/** A WebP file's first bytes: RIFF, a size, WEBP. */
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(20, 7)]);

describe.each(testDatabases())('pictures, calendar, previews and sitemap on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create);
  const get = (path: string) => fetch(web.server.url + path, { redirect: 'manual' });

  it('serves a stand-in title card until the first page is rendered, then the WebP with long caching', async () => {
    const [id] = await featurePapers(web.db, [
      { day: '2026-11-27', record: { title: 'Bounds for $x<y$ & <script>alert(1)</script>', categories: ['cs.CL'] } },
    ]);
    const before = await get(`/thumbnails/${id}.webp`);
    expect(before.status).toBe(303);
    expect(before.headers.get('location')).toBe(`/thumbnails/${id}.svg`);
    expect(before.headers.get('cache-control')).toBe('public, max-age=600');
    const card = await get(`/thumbnails/${id}.svg`);
    expect(card.status).toBe(200);
    expect(card.headers.get('content-type')).toBe('image/svg+xml');
    const svg = await card.text();
    expect(svg).toContain('cs.CL');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).not.toContain('<script');
    expect(svg).toContain(id);

    await saveThumbnail(web.db, id!, { image: WEBP });
    const after = await get(`/thumbnails/${id}.webp`);
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('image/webp');
    expect(after.headers.get('cache-control')).toBe('public, max-age=604800');
    expect(Buffer.from(await after.arrayBuffer()).equals(WEBP)).toBe(true);
    // A failed render keeps the stand-in.
    await saveThumbnail(web.db, id!, { error: 'encrypted: the PDF needs a password' });
    expect((await get(`/thumbnails/${id}.webp`)).status).toBe(303);
  });

  it('answers 404 for thumbnails of unknown, hidden or malformed papers', async () => {
    const [hidden] = await featurePapers(web.db, [{ day: '2026-11-27', hidden: true }]);
    for (const path of [
      '/thumbnails/2401.99999.webp',
      `/thumbnails/${hidden}.webp`,
      `/thumbnails/${hidden}.svg`,
      '/thumbnails/2401.99999.png',
      '/thumbnails/..%2F..%2Fetc%2Fpasswd.webp',
      `/thumbnails/${'9'.repeat(5000)}.webp`,
      '/thumbnails/2203.06604v2.webp',
      '/thumbnails/%3Cscript%3E.svg',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
  });

  it('draws each member an identicon from the name alone, the same every time', async () => {
    const first = await get('/avatars/grace.svg');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/svg+xml');
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const svg = await first.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(await (await get('/avatars/grace.svg')).text()).toBe(svg);
    expect(await (await get('/avatars/ada.svg')).text()).not.toBe(svg);
    for (const path of ['/avatars/grace', '/avatars/a.svg', `/avatars/${'x'.repeat(40)}.svg`, '/avatars/%3Cb%3E.svg']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it('shows each card with its picture, the submitter’s identicon and a link preview with the lead thumbnail', async () => {
    const [lead] = await featurePapers(web.db, [{ day: '2026-11-26', upvotes: 9, submitter: 'grace' }]);
    const page = await getPage(`${web.server.url}/papers/date/2026-11-26`);
    expect(page.html).toContain(`<img src="/thumbnails/${lead}.webp" alt="" loading="lazy"`);
    expect(page.html).toContain('<img class="avatar" src="/avatars/grace.svg" alt=""');
    expect(page.html).toContain(`<meta property="og:image" content="${web.server.url}/thumbnails/${lead}.webp">`);
    expect(page.html).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page.html).toContain(`<meta property="og:url" content="${web.server.url}/papers/date/2026-11-26">`);
    expect(page.html).toContain('<a class="button primary" href="#subscribe">Subscribe</a>');
    expect(page.html).toContain('id="subscribe"');
    const paper = await getPage(`${web.server.url}/papers/${lead}`);
    expect(paper.html).toContain(`<meta property="og:type" content="article">`);
    expect(paper.html).toContain(`<meta property="og:image" content="${web.server.url}/thumbnails/${lead}.webp">`);
  });

  it('links each submitter’s name to their profile on cards and paper pages; a deleted member’s is plain text', async () => {
    const [graces, deleted, hostile] = await featurePapers(web.db, [
      { day: '2026-11-20', upvotes: 3, trendingScore: 30, submitter: 'grace' },
      { day: '2026-11-20', upvotes: 2, trendingScore: 20, submitter: DELETED_MEMBER },
      { day: '2026-11-20', upvotes: 1, trendingScore: 10, submitter: '"><b>x</b>' },
    ]);
    const graceLink = 'submitted by <a class="member" href="/users/grace">grace</a>';
    const deletedName = 'submitted by <span class="deleted-member">deleted member</span>';
    for (const path of ['/papers/date/2026-11-20', '/papers/week/2026-W47', '/papers/trending']) {
      const page = await getPage(`${web.server.url}${path}`);
      expect(page.html, path).toContain(graceLink);
      expect(page.html, path).toContain(deletedName);
      expect(page.html, path).toContain('href="/users/%22%3E%3Cb%3Ex%3C%2Fb%3E">&quot;&gt;&lt;b&gt;x&lt;/b&gt;</a>');
      expect(page.html, path).not.toContain('<b>x</b>');
      expect(page.html, path).not.toContain('/avatars/deleted%20member.svg');
    }
    expect((await getPage(`${web.server.url}/papers/${graces}`)).html).toContain(graceLink);
    expect((await getPage(`${web.server.url}/papers/${deleted}`)).html).toContain(deletedName);
    expect((await getPage(`${web.server.url}/papers/${hostile}`)).html).not.toContain('<b>x</b>');
  });

  it('shows a calendar of the month with its featured days linked, and jumps to any day', async () => {
    await featurePapers(web.db, [
      { day: '2026-10-03' },
      { day: '2026-10-17' },
      { day: '2026-10-17' },
      { day: '2026-11-01' },
    ]);
    const page = await getPage(`${web.server.url}/papers/date/2026-10-17`);
    const linked = [...page.html.matchAll(/<a class="has-papers" href="([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toEqual(['/papers/date/2026-10-03', '/papers/date/2026-10-17']);
    expect(page.html).toContain('<a class="has-papers" href="/papers/date/2026-10-17" aria-current="date">17</a>');
    // October 2026 starts on a Thursday: three empty cells before the 1st.
    expect(page.html).toMatch(/<tbody><tr><td><\/td><td><\/td><td><\/td><td><span class="no-papers">1<\/span>/);
    expect(page.html).toContain('<a href="/papers/month/2026-09" aria-label="September 2026">');

    const jump = await get('/papers/date?day=2026-10-17');
    expect(jump.status).toBe(303);
    expect(jump.headers.get('location')).toBe('/papers/date/2026-10-17');
    for (const bad of [
      '',
      '?day=2026-02-30',
      '?day=tomorrow',
      '?day=2026-10-17%3Cscript%3E',
      '?day[]=1',
      `?day=${'1'.repeat(5000)}`,
    ]) {
      const refused = await get(`/papers/date${bad}`);
      expect(refused.status, bad).toBe(400);
      expect(await refused.text(), bad).toContain('Dates look like 2026-11-27');
    }
  });

  it('lists the home, featured days and recent papers in /sitemap.xml, hidden papers left out', async () => {
    const [shown, hidden] = await featurePapers(web.db, [
      { day: '2026-09-10', record: { id: 'hep-th/9901001' } },
      { day: '2026-09-10', hidden: true },
    ]);
    const response = await get('/sitemap.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await response.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
    );
    expect(xml).toContain(`<url><loc>${web.server.url}/</loc></url>`);
    expect(xml).toContain(`<url><loc>${web.server.url}/papers/date/2026-09-10</loc></url>`);
    expect(xml).toMatch(
      new RegExp(`<url><loc>${web.server.url}/papers/${shown}</loc><lastmod>\\d{4}-\\d{2}-\\d{2}</lastmod></url>`),
    );
    expect(xml).not.toContain(hidden!);
    const urls = xml.match(/<url>/g)!.length;
    expect(urls).toBeLessThanOrEqual(1 + 2 * SITEMAP_PAPERS);
  });
});
