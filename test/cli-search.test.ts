import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAPHRASED_ID, topicPapers } from './factories/topics.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-cli-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { DATABASE_URL: join(dir, 'papers.db') };
const cli = (...args: string[]) => runCli(args, env, dir);
const ids = (stdout: string) => (JSON.parse(stdout) as { id: string }[]).map((r) => r.id);

describe('dailypapers embed and search --mode', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const file = join(dir, 'topics.jsonl');
    writeFileSync(
      file,
      topicPapers()
        .map((p) =>
          JSON.stringify({
            id: p.id,
            title: p.title,
            abstract: p.abstract,
            authors: p.authors.map((a) => a.name),
            categories: p.categories,
            published: p.publishedOn,
          }),
        )
        .join('\n'),
    );
    expect((await cli('migrate')).code).toBe(0);
    expect((await cli('import', file)).code).toBe(0);
  });

  it('says semantic search needs vectors, while hybrid answers by keywords', async () => {
    const semantic = await cli('search', 'automobile', '--mode', 'semantic');
    expect(semantic).toMatchObject({ code: 1, stderr: expect.stringContaining('dailypapers embed') });
    const hybrid = await cli('search', 'automobile', '--json');
    expect(hybrid.code).toBe(0);
    expect(ids(hybrid.stdout)).not.toContain(PARAPHRASED_ID);
  });

  it('embeds every paper, saves the index beside the database, and then searches by meaning', async () => {
    const embed = await cli('embed');
    expect(embed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^embedded 24 papers with lsa-\S+ in [\d.]+ s; 24 vectors indexed\n$/),
    });
    expect(existsSync(join(dir, 'papers.db.vectors.usearch'))).toBe(true);
    expect((await cli('embed')).stdout).toMatch(/^embedded 0 papers/);

    const [lexical, semantic, hybrid] = await Promise.all(
      ['lexical', 'semantic', 'hybrid'].map((mode) =>
        cli('search', 'automobile', '--mode', mode, '--json', '--limit', '6'),
      ),
    );
    expect(ids(lexical!.stdout)).not.toContain(PARAPHRASED_ID);
    expect(ids(semantic!.stdout)).toContain(PARAPHRASED_ID);
    expect(ids(hybrid!.stdout)).toContain(PARAPHRASED_ID);
  });

  it('refits from scratch with --all and refuses an unknown mode', async () => {
    expect((await cli('embed', '--all')).stdout).toMatch(/^embedded 24 papers/);
    const bad = await cli('search', 'x', '--mode', 'psychic');
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('expected one of lexical, semantic, hybrid'),
    });
  });
});
