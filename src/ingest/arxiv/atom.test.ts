import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import {
  fixture,
  recordedAtomLookup,
  SHARED_ARXIV_XML,
  startArxivServer,
  type ArxivServer,
} from '../../../test/helpers/arxiv-server.js';
import { captureLogs } from '../../../test/helpers/logs.js';
import { ArxivApiError, fetchArxivPapers, parseAtomFeed, searchArxiv } from './atom.js';

const RECORDED = `${SHARED_ARXIV_XML}/atom-arxiv.py`;
const RECORDED_2016 = `${SHARED_ARXIV_XML}/atom-arxiv.py-2016`;
const recorded = (prefix: string, dir = RECORDED) =>
  fixture(`${dir}/${readdirSync(dir).find((f) => f.startsWith(prefix))!}`);
const feed = (body: string, status = 200) =>
  parseAtomFeed({ url: 'http://127.0.0.1/api/query', status, contentType: 'application/atom+xml', body });

describe('parseAtomFeed', () => {
  it('reads an entry: id and version, dates, authors with affiliations, primary category first, comment, journal ref', () => {
    const [paper] = feed(recorded('id_astro-ph_0601001')).records;
    expect(paper).toMatchObject({
      id: 'astro-ph/0601001',
      version: 1,
      publishedOn: '2006-01-02',
      revisedOn: '2006-01-02',
      categories: ['astro-ph'],
      journalRef: 'ActaAstron.56:1-50,2006',
    });
    expect(paper!.title).toBe(
      'Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina',
    );
    expect(paper!.authors).toEqual([
      { name: 'Andrew Gould', affiliation: 'Ohio State' },
      { name: 'Susan Dorsher', affiliation: 'Ohio State' },
      { name: 'B. Scott Gaudi', affiliation: 'CfA' },
      { name: 'Andrzej Udalski', affiliation: 'Warsaw University Observatory' },
    ]);
    expect(paper!.abstract).toMatch(/^We derive the frequencies .* V_max<17\.5\./);
    expect(paper!.comments).toMatch(/^62 pages including 16 figures/);
  });

  it('reads a later version with its DOI and both version dates (2016 API format)', () => {
    const [paper] = feed(fixture(`${RECORDED_2016}/id_list=1111.2011v2.xml`)).records;
    expect(paper).toMatchObject({
      id: '1111.2011',
      version: 2,
      publishedOn: '2011-11-08',
      revisedOn: '2012-04-02',
      versions: [
        { version: 1, date: '2011-11-08' },
        { version: 2, date: '2012-04-02' },
      ],
      doi: '10.1103/PhysRevB.85.115117',
      journalRef: 'Phys. Rev. B 85, 115117 (2012)',
      categories: ['cond-mat.str-el', 'cond-mat.stat-mech'],
      title: 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit',
    });
  });

  it('puts the primary category first even when listed later', () => {
    const body = recorded('id_1605.08386').replace(
      '<arxiv:primary_category term="math.CO"/>',
      '<arxiv:primary_category term="math.ST"/>',
    );
    const [paper] = feed(body).records;
    expect(paper!.categories).toEqual(['math.ST', 'math.CO']);
  });

  it('reads search result pages with their totals', () => {
    const page = feed(recorded('q_testing_s0_m10_'));
    expect(page.records).toHaveLength(10);
    expect(page.totalResults).toBe(214881);
    expect(page.startIndex).toBe(0);
    expect(new Set(page.records.map((r) => r.id)).size).toBe(10);
  });

  it('reads an empty feed as no records', () => {
    expect(feed(recorded('id_0000.0000'))).toEqual({ records: [], totalResults: 0, startIndex: 0 });
  });

  it('turns an error feed into an ArxivApiError with arXiv’s reason, also when sent with HTTP 400', () => {
    for (const status of [200, 400]) {
      expect(() => feed(recorded('id_abc_'), status)).toThrow(ArxivApiError);
      expect(() => feed(recorded('id_abc_'), status)).toThrow('incorrect id format for abc');
    }
  });

  it('rejects HTML and truncated feeds clearly', () => {
    expect(() => feed('<!DOCTYPE html><html><body>Rate exceeded</body></html>')).toThrow(/HTML page/);
    expect(() => feed(recorded('id_1605.08386').slice(0, 900))).toThrow(/malformed or truncated XML/);
  });
});

describe('fetchArxivPapers over HTTP', () => {
  let server: ArxivServer;
  afterEach(async () => server.close());

  const deps = (srv: ArxivServer) => ({
    config: loadConfig({
      ARXIV_API_URL: srv.apiUrl,
      ARXIV_DELAY_MS: '0',
      ARXIV_BACKOFF_MS: '1',
      ARXIV_CONTACT: 'ops@example.org',
    }),
    logger: captureLogs().logger,
  });

  it('finds known ids, reports unknown and malformed ones as not found, in the order asked', async () => {
    server = await startArxivServer(recordedAtomLookup());
    const result = await fetchArxivPapers(['0808.05394', 'https://arxiv.org/abs/1707.08567', 'abc'], deps(server));
    expect(result.found.map((p) => [p.id, p.title])).toEqual([
      ['1707.08567', 'Proceedings of Workshop AEW10: Concepts in Information Theory and Communications'],
    ]);
    expect(result.found[0]!.authors).toHaveLength(34);
    expect(result.notFound).toEqual(['0808.05394', 'abc']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['user-agent']).toContain('mailto:ops@example.org');
  });

  it('asks for an explicit version when one is given', async () => {
    server = await startArxivServer(recordedAtomLookup());
    const result = await fetchArxivPapers(['arXiv:2104.12255v1'], deps(server));
    expect(result.found).toMatchObject([{ id: '2104.12255', version: 1, title: '0', categories: ['cs.CR'] }]);
    const old = await fetchArxivPapers(['quant-ph/0201082v1'], deps(server));
    expect(old.found).toMatchObject([{ id: 'quant-ph/0201082', version: 1 }]);
  });

  it('looks up many ids in batches of at most 100', async () => {
    server = await startArxivServer(() => ({ body: recorded('id_0000.0000') }));
    const ids = Array.from({ length: 150 }, (_, i) => `2501.${String(i + 1).padStart(5, '0')}`);
    const result = await fetchArxivPapers(ids, deps(server));
    expect(result.notFound).toEqual(ids);
    expect(server.requests.map((r) => r.query.get('id_list')!.split(',').length)).toEqual([100, 50]);
  });

  it('asks nothing when no id is an arXiv id', async () => {
    server = await startArxivServer(() => ({ body: recorded('id_0000.0000') }));
    expect(await fetchArxivPapers(['abc', 'doi:10.1/x', ''], deps(server))).toEqual({
      found: [],
      notFound: ['abc', 'doi:10.1/x', ''],
    });
    expect(server.requests).toHaveLength(0);
  });

  it('searches with the query and paging it was given', async () => {
    server = await startArxivServer(() => ({ body: recorded('q_testing_s10_m10_') }));
    const page = await searchArxiv({ query: 'all:testing', start: 10, maxResults: 10 }, deps(server));
    expect(page.records).toHaveLength(10);
    expect(Object.fromEntries(server.requests[0]!.query)).toEqual({
      search_query: 'all:testing',
      start: '10',
      max_results: '10',
      sortBy: 'relevance',
    });
  });

  it('surfaces an error feed from a search as ArxivApiError', async () => {
    server = await startArxivServer(() => ({ status: 400, body: recorded('id_abc_') }));
    await expect(searchArxiv({ query: 'bad:::' }, deps(server))).rejects.toThrow(
      'arXiv API error: incorrect id format for abc',
    );
  });
});
