import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enrichPendingPapers } from '../../src/enrich/job.js';
import { featurePapers } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';
import { parseDatetime, readPaperInfo } from './hf-paper-info.js';

/** Answers shaped as the Hub gives them (structure as the Hub serves it, example values). */
const hubFixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/hf/${name}.json`, import.meta.url), 'utf8'));

/** Hub fields we have nothing to fill with: Hub accounts of authors, avatars, whether an author takes part. */
const NOT_SERVED = /^isAuthorParticipating|authors\.\d+\.user|avatarUrl$/;

/** Every leaf path of a JSON value with its JSON type; arrays are described by their first element. */
function jsonTypes(value: unknown, path = ''): Map<string, string> {
  const types = new Map<string, string>();
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (path) types.set(path, kind);
  const children: [string, unknown][] = Array.isArray(value)
    ? value.length > 0
      ? [['0', value[0]]]
      : []
    : kind === 'object'
      ? Object.entries(value as object)
      : [];
  for (const [key, child] of children)
    for (const entry of jsonTypes(child, path ? `${path}.${key}` : key)) types.set(...entry);
  return types;
}

function expectSameFieldsAsHub(ours: unknown, hub: unknown) {
  const ourTypes = jsonTypes(ours);
  const missing = [...jsonTypes(hub)].filter(([path, type]) => !NOT_SERVED.test(path) && ourTypes.get(path) !== type);
  expect(missing.map(([path, type]) => `${path} (${type}): ours is ${ourTypes.get(path) ?? 'absent'}`)).toEqual([]);
}

describe('the PaperInfo port reads Hub answers as the Python client does', () => {
  it('reads a daily papers item', () => {
    const info = readPaperInfo(hubFixture('daily-paper'));
    expect(info).toMatchObject({
      id: '2411.00001',
      authors: ['Jane Researcher', 'John Scientist'],
      published_at: new Date('2024-11-01T17:59:58.000Z'),
      submitted_at: new Date('2024-11-04T01:23:45.678Z'),
      title: 'An Example Paper About Example Models',
      upvotes: 12,
      comments: 2,
      submitted_by: { fullname: 'Sam Submitter', name: 'ssubmitter' },
    });
  });

  it('reads a paper', () => {
    const info = readPaperInfo(hubFixture('paper'));
    expect(info).toMatchObject({
      id: '2411.00001',
      discussion_id: '6730a1f3c0ffee0000000004',
      comments: 0,
      submitted_by: { username: 'ssubmitter' },
    });
    expect(info.submitted_at).toEqual(new Date('2024-11-04T01:23:45.678Z'));
  });

  it('refuses what the client refuses: authors as strings, timestamps without milliseconds', () => {
    expect(() => readPaperInfo({ id: 'x', authors: ['Jane'] })).toThrow(TypeError);
    expect(() => parseDatetime('2024-11-04T01:23:45Z')).toThrow();
  });
});

describe.each(testDatabases())('our answers read as PaperInfo on $dialect', ({ create }) => {
  let paperId: string;
  const api = serveFreshDatabase(create, async (db) => {
    [paperId] = await featurePapers(db, [
      {
        day: '2026-11-27',
        submitter: 'grace',
        upvotes: 7,
        record: {
          title: 'Compatible attention',
          abstract: 'Code at https://github.com/acme/compat and https://acme.example.org/compat.',
          publishedOn: '2026-11-25',
        },
      },
    ]);
    await enrichPendingPapers(db);
    // As the stars job leaves it (test/github-stars.test.ts checks the job itself).
    await db.kysely.updateTable('papers').set({ github_stars: 42 }).execute();
  });

  const expected = () => ({
    id: paperId,
    authors: ['Ada Lovelace', 'Alan Turing'],
    published_at: new Date('2026-11-25T00:00:00.000Z'),
    title: 'Compatible attention',
    summary: expect.stringContaining('Code at'),
    upvotes: 7,
    discussion_id: paperId,
    comments: 0,
    submitted_at: new Date('2026-11-27T00:00:00.000Z'),
    submitted_by: expect.objectContaining({ username: 'grace', fullname: 'grace' }),
    source: 'arxiv',
    // What the issue asks the real client to read from us: summary, keywords, code, stars and thumbnail.
    ai_summary: expect.stringContaining('Code at'),
    ai_keywords: expect.arrayContaining([expect.any(String)]),
    github_repo: 'https://github.com/acme/compat',
    github_stars: 42,
    project_page: 'https://acme.example.org/compat',
    thumbnail: `${api.server.url}/thumbnails/${paperId}.webp`,
  });

  it('list_daily_papers: every item becomes a complete PaperInfo', async () => {
    const { body } = await getJson(`${api.server.url}/api/daily_papers?date=2026-11-27`);
    expect(body.map(readPaperInfo)).toEqual([expect.objectContaining(expected())]);
    expectSameFieldsAsHub(body[0], hubFixture('daily-paper'));
  });

  it('paper_info: the paper becomes a complete PaperInfo', async () => {
    const { body } = await getJson(`${api.server.url}/api/papers/${paperId}`);
    expect(readPaperInfo(body)).toEqual(expect.objectContaining(expected()));
    expectSameFieldsAsHub(body, hubFixture('paper'));
  });

  it('list_papers: search results become complete PaperInfos', async () => {
    const { body } = await getJson(`${api.server.url}/api/papers/search?q=compatible`);
    expect(body.map(readPaperInfo)).toEqual([expect.objectContaining(expected())]);
    expectSameFieldsAsHub(body[0], hubFixture('daily-paper'));
  });
});
