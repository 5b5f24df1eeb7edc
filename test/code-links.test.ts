import { describe, expect, it } from 'vitest';
import { featurePapers } from './factories/papers.js';
import { testDatabases } from './helpers/db.js';
import { getPage } from './helpers/pages.js';
import { serveFreshDatabase } from './helpers/server.js';

describe.each(testDatabases())('GitLab and Hugging Face links on $dialect', ({ create }) => {
  const ids: string[] = [];
  const site = serveFreshDatabase(create, async (db) => {
    ids.push(
      ...(await featurePapers(db, [
        {
          day: '2026-11-27',
          record: {
            abstract: 'Code at https://gitlab.com/inria/sparse-attn; weights at huggingface.co/acme/sparse-7b.',
            comments: '12 pages. Demo: https://huggingface.co/spaces/acme/demo',
          },
        },
        {
          day: '2026-11-27',
          record: {
            abstract:
              'See javascript:alert(1)//gitlab.com/a/b, https://gitlab.com.evil.example/x/y and https://huggingface.co/papers/2501.00001.',
          },
        },
      ])),
    );
    // A paper stored before GitLab links were told apart kept one as its project page.
    await db.kysely
      .updateTable('papers')
      .set({ project_url: 'https://gitlab.com/inria/sparse-attn' })
      .where('id', '=', ids[0]!)
      .execute();
  });

  it('shows them on cards and on the paper page, the project page not twice', async () => {
    const day = await getPage(`${site.server.url}/papers/date/2026-11-27`);
    expect(day.html).toContain(
      '<a class="badge code-link" href="https://gitlab.com/inria/sparse-attn" rel="nofollow noopener">GitLab</a>',
    );
    expect(day.html).toContain(
      '<a class="badge code-link" href="https://huggingface.co/acme/sparse-7b" rel="nofollow noopener">Hugging Face model</a>',
    );
    expect(day.html).toContain(
      'href="https://huggingface.co/spaces/acme/demo" rel="nofollow noopener">Hugging Face space</a>',
    );
    const page = await getPage(`${site.server.url}/papers/${ids[0]}`);
    expect(page.html).toContain(
      '<a class="button code-link" href="https://gitlab.com/inria/sparse-attn" rel="nofollow noopener">GitLab</a>',
    );
    expect(page.html).not.toContain('>Project page<');
  });

  it('links no look-alike host, page or script: only canonical https addresses', async () => {
    const page = await getPage(`${site.server.url}/papers/${ids[1]}`);
    const hrefs = [...page.html.matchAll(/class="button code-link" href="([^"]*)"/g)].map((m) => m[1]);
    // The gitlab.com/a/b written after the script is a mention of that project, linked as itself.
    expect(hrefs).toEqual(['https://gitlab.com/a/b']);
    expect(page.html).not.toContain('href="javascript:');
    expect(page.html).not.toContain('code-link" href="https://gitlab.com.evil');
    expect(page.html).not.toContain('code-link" href="https://huggingface.co/papers');
  });
});
