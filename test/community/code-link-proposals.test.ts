import { describe, expect, it } from 'vitest';
import { recordRepoCheck, trackLinkedRepos } from '../../src/store/github-repos.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { serveCommunity, signedUp, storedPaper } from './fixtures.js';

describe.each(testDatabases())('members propose code links on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('a proposal waits for a moderator, shows only once approved, and the decision is logged', async () => {
    const paper = await storedPaper(ctx.db, { abstract: 'We study things without a link.' });
    const [member, moderator] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
    ];
    const form = await member.page(`/papers/${paper.id}`);
    expect(form.html).toContain('<form method="post" action="/code-links"');
    const anonymous = await new WebClient(ctx.server.url).page(`/papers/${paper.id}`);
    expect(anonymous.html).toContain(`/login?next=${encodeURIComponent(`/papers/${paper.id}#code-links`)}`);

    const proposed = await member.post('/code-links', {
      paper: paper.id,
      url: 'https://huggingface.co/acme/model-7b/',
    });
    expect(proposed.status).toBe(202);
    expect(await proposed.text()).toContain('waits for a moderator');
    const github = await member.post('/code-links', { paper: paper.id, url: 'https://www.github.com/acme/tool.git' });
    expect(github.status).toBe(202);
    expect((await member.post('/code-links', { paper: paper.id, url: 'https://github.com/acme/tool' })).status).toBe(
      409,
    );

    // Not shown yet; the queue is the moderators' alone.
    expect((await member.page(`/papers/${paper.id}`)).html).not.toContain('huggingface.co/acme/model-7b');
    expect((await member.page('/moderation')).html).not.toContain('Proposed code links');
    const queue = (await moderator.page('/moderation')).html;
    expect(queue).toContain('https://huggingface.co/acme/model-7b');
    expect(queue).toContain(`by <a class="member" href="/users/${member.username}">${member.username}</a>`);
    const ids = [...queue.matchAll(/action="\/moderation\/code-links\/(\d+)"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);

    expect((await member.post(`/moderation/code-links/${ids[0]}`, { action: 'approve' })).status).toBe(403);
    expect(
      (await moderator.post(`/moderation/code-links/${ids[0]}`, { action: 'approve', reason: 'checked' })).status,
    ).toBe(303);
    expect((await moderator.post(`/moderation/code-links/${ids[0]}`, { action: 'reject' })).status).toBe(404);
    expect((await moderator.post(`/moderation/code-links/${ids[1]}`, { action: 'approve' })).status).toBe(303);

    const page = (await member.page(`/papers/${paper.id}`)).html;
    expect(page).toContain(
      '<a class="button code-link" href="https://huggingface.co/acme/model-7b" rel="nofollow noopener">Hugging Face model</a>',
    );
    expect(page).toContain('href="https://github.com/acme/tool" rel="nofollow noopener">GitHub</a>');
    const log = (await member.page('/moderation')).html;
    expect(log).toContain('approved a code link for');
    expect(log).toContain('https://huggingface.co/acme/model-7b: checked');

    // Stars of an approved GitHub link are refreshed like the others.
    await trackLinkedRepos(ctx.db);
    const now = new Date();
    await recordRepoCheck(ctx.db, 'https://github.com/acme/tool', { kind: 'stars', stars: 1500, etag: null }, now, now);
    expect((await member.page(`/papers/${paper.id}`)).html).toContain('GitHub ★ 1.5k');
  });

  it('refuses hostile and foreign addresses, unknown papers and visitors', async () => {
    const paper = await storedPaper(ctx.db);
    const member = await signedUp(ctx.db, ctx.server.url);
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)//github.com/a/b',
      'http://github.com/acme/tool',
      'https://github.com.evil.example/acme/tool',
      'https://evil.example/github.com/acme/tool',
      'https://github.com/acme',
      'https://github.com/acme/tool/issues/1',
      'https://github.com/../..',
      'https://gitlab.com/acme/tool?x=<script>',
      'https://huggingface.co/papers/2501.00001',
      `https://github.com/acme/${'x'.repeat(400)}`,
      '',
    ]) {
      const refused = await member.post('/code-links', { paper: paper.id, url });
      expect(refused.status, url).toBe(400);
      expect(await refused.text(), url).toContain('Propose an https:// address');
    }
    expect((await member.post('/code-links', { paper: '2501.99999', url: 'https://github.com/a/b' })).status).toBe(404);
    expect((await member.post('/code-links', { paper: '<script>', url: 'https://github.com/a/b' })).status).toBe(404);
    const visitor = await new WebClient(ctx.server.url).post('/code-links', {
      paper: paper.id,
      url: 'https://github.com/a/b',
    });
    expect([401, 403]).toContain(visitor.status);
  });
});

describe.each(testDatabases())('code link proposals are rate limited on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, { RATE_LIMIT_SUBMIT: '3,3/1h' });

  it('answers 429 with Retry-After past RATE_LIMIT_SUBMIT', async () => {
    const paper = await storedPaper(ctx.db);
    const member = await signedUp(ctx.db, ctx.server.url);
    for (const n of [1, 2, 3])
      expect(
        (await member.post('/code-links', { paper: paper.id, url: `https://github.com/acme/tool-${n}` })).status,
      ).toBe(202);
    const limited = await member.post('/code-links', { paper: paper.id, url: 'https://github.com/acme/tool-4' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
