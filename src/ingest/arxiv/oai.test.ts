import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, OAI_FIXTURES, SHARED_ARXIV_XML } from '../../../test/helpers/arxiv-server.js';
import {
  listRecordsUrl,
  OaiError,
  parseListRecords,
  peekResumptionToken,
  resolveVersion,
  type OaiRecord,
} from './oai.js';
import { ArxivFormatError } from './xml.js';

const HEPCRAWL = `${SHARED_ARXIV_XML}/oai-hepcrawl`;
const url = 'http://127.0.0.1/oai?verb=ListRecords';
const page = (body: string, status = 200) => parseListRecords({ url, status, contentType: 'text/xml', body });

describe('listRecordsUrl', () => {
  it('asks for the arXiv format, the window and the set on the first page, and only the token after', () => {
    const first = new URL(
      listRecordsUrl('https://oaipmh.arxiv.org/oai', {
        set: 'physics:hep-th',
        from: '2025-11-04',
        until: '2025-11-05',
      }),
    );
    expect(Object.fromEntries(first.searchParams)).toEqual({
      verb: 'ListRecords',
      metadataPrefix: 'arXiv',
      from: '2025-11-04',
      until: '2025-11-05',
      set: 'physics:hep-th',
    });
    const next = new URL(listRecordsUrl('https://oaipmh.arxiv.org/oai', { resumptionToken: '7125831|1001&x=1' }));
    expect(Object.fromEntries(next.searchParams)).toEqual({ verb: 'ListRecords', resumptionToken: '7125831|1001&x=1' });
  });
});

describe('parseListRecords', () => {
  it('reads the recorded hep-th listing: ids, collapsed titles with LaTeX, authors, categories, dates, DOI, journal ref', () => {
    const { records, skipped, resumptionToken } = page(
      fixture(`${HEPCRAWL}/functional__arxiv__fixtures__http_server__records__arxiv-physics-hep-th.xml`),
    );
    expect(skipped).toEqual([]);
    expect(resumptionToken).toBeNull();
    expect(records.map((r) => r.paper.id)).toEqual(['1412.8323', '1507.07790', '1607.01710']);
    const [hoehn, castro] = records;
    expect(hoehn!.paper.title).toBe('Toolbox for reconstructing quantum theory from rules on information acquisition');
    expect(hoehn!.paper.authors).toEqual([{ name: 'Philipp A Hoehn' }]);
    expect(hoehn!.paper.categories).toEqual(['quant-ph', 'gr-qc', 'hep-th', 'math-ph', 'math.MP', 'physics.hist-ph']);
    expect(hoehn!).toMatchObject({ datestamp: '2017-12-14', versionKnown: false });
    expect(hoehn!.paper).toMatchObject({
      publishedOn: '2014-12-29',
      revisedOn: '2017-12-13',
      license: 'http://creativecommons.org/licenses/by/4.0/',
    });
    expect(hoehn!.paper.abstract).toMatch(/^We develop an operational approach .* in terms of questions\.$/);
    expect(hoehn!.paper.comments).toMatch(
      /^78 pages, many figures, graphs and references\. Version accepted for publication in Quantum/,
    );
    expect(castro!.paper).toMatchObject({
      doi: '10.1088/1751-8121/aa9c53',
      journalRef: 'J. Phys. A: Math. Theor. 51 (2018) 035201',
      title: 'Relativistic quantum dynamics of vector bosons in an Aharonov-Bohm potential',
    });
    expect(castro!.paper.abstract).toContain('equivalence to the spin-$1/2$ AB problem');
  });

  it('keeps affiliations, decodes entities and keeps LaTeX as written', () => {
    const [record] = page(fixture(`${HEPCRAWL}/unit__responses__arxiv__sample_arxiv_record5.xml`)).records;
    expect(record!.paper.authors[0]).toEqual({
      name: 'Günter Burigana',
      affiliation: 'on behalf of Planck Collaboration',
    });
    const [first, second] = page(fixture(`${OAI_FIXTURES}/list-page1.xml`)).records;
    expect(first!.paper.title).toBe('Sparse attention with $O(n \\log n)$ memory for long-context transformers');
    expect(first!.paper.abstract).toContain('for $n<10^6$ it matches dense attention');
    expect(first!.paper.authors).toEqual([
      { name: 'Ada Lovelace', affiliation: 'Analytical Engines Ltd' },
      { name: 'Alan M. Turing', affiliation: 'University of Manchester; Bletchley Park' },
    ]);
    expect(second!.paper.authors).toEqual([{ name: 'Kurt Gödel' }, { name: 'Planck Collaboration' }]);
    expect(second!.paper.abstract).toBe(
      'We show that some properties of trained networks are undecidable & discuss consequences.',
    );
  });

  it('reads every recorded OAI-PMH answer (ListRecords and GetRecord) into complete papers', () => {
    const samples = readdirSync(HEPCRAWL).filter((f) => f.endsWith('.xml'));
    expect(samples.length).toBe(15);
    for (const sample of samples) {
      const body = fixture(`${HEPCRAWL}/${sample}`);
      const { records, skipped } = page(body);
      expect(skipped, sample).toEqual([]);
      expect(records, sample).toHaveLength(body.match(/<record>/g)!.length);
      for (const { paper } of records) {
        expect(paper.title, sample).not.toMatch(/\s{2}|^\s|\s$/);
        expect(paper.authors.length, sample).toBeGreaterThan(0);
        expect(paper.categories.length, sample).toBeGreaterThan(0);
        expect(paper.publishedOn, sample).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    const [degradation] = page(fixture(`${HEPCRAWL}/unit__responses__arxiv__sample_arxiv_record0.xml`)).records;
    expect(degradation!.paper).toMatchObject({
      id: '1601.03238',
      categories: ['quant-ph', 'gr-qc', 'hep-th', 'chao-dyn', 'nlin.CD'],
      doi: '10.1103/PhysRevD.93.016005',
      journalRef: 'Phys.Rev. D93 (2015) 016005',
      comments: '6 pages, 4 figures, conference paper',
      license: 'https://creativecommons.org/licenses/by/3.0/',
    });
    expect(degradation!.paper.authors.slice(0, 2)).toEqual([{ name: 'Planck Collaboration' }, { name: 'Jieci Wang' }]);
  });

  it('returns the resumption token and announced size, and none on the last page', () => {
    expect(page(fixture(`${OAI_FIXTURES}/list-page1.xml`))).toMatchObject({
      resumptionToken: '7125831|1001',
      completeListSize: 5,
    });
    expect(page(fixture(`${OAI_FIXTURES}/list-page3.xml`))).toMatchObject({
      resumptionToken: null,
      completeListSize: 5,
    });
  });

  it('skips records without id or title, with a malformed id, or deleted, and says why', () => {
    const { records, skipped } = page(fixture(`${OAI_FIXTURES}/list-bad-records.xml`));
    expect(records.map((r) => r.paper.id)).toEqual(['2511.01005']);
    expect(skipped).toEqual([
      { identifier: 'oai:arXiv.org:2511.09001', reason: 'missing id' },
      { identifier: '2511.09002', reason: 'missing title' },
      { identifier: 'oai:arXiv.org:not-an-id', reason: 'malformed id "not an arXiv id"' },
      { identifier: 'oai:arXiv.org:2511.09003', reason: 'deleted upstream' },
    ]);
  });

  it('treats noRecordsMatch as an empty last page', () => {
    expect(page(fixture(`${OAI_FIXTURES}/error-noRecordsMatch.xml`))).toEqual({
      records: [],
      skipped: [],
      resumptionToken: null,
      completeListSize: 0,
    });
  });

  it.each(['badResumptionToken', 'badArgument'])('throws %s as an OaiError with its code and message', (code) => {
    const error = (() => {
      try {
        page(fixture(`${OAI_FIXTURES}/error-${code}.xml`));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OaiError);
    expect(error).toMatchObject({ code, url });
    expect((error as Error).message).toMatch(
      code === 'badArgument' ? /Illegal set value: cs\.BOGUS/ : /invalid or expired/,
    );
  });

  it.each([
    ['an HTML page', fixture(`${OAI_FIXTURES}/html-error.html`), /HTML page/],
    ['truncated XML', fixture(`${OAI_FIXTURES}/list-page2-truncated.xml`), /malformed or truncated XML/],
    ['mismatched tags', '<OAI-PMH><ListRecords></OAI-PMH>', /malformed or truncated XML/],
    ['another root', '<?xml version="1.0"?><feed><entry/></feed>', /root element is different/],
    ['an empty body', '', /malformed or truncated XML|root element/],
  ])('rejects %s with a clear ArxivFormatError', (_what, body, message) => {
    expect(() => page(body)).toThrow(ArxivFormatError);
    expect(() => page(body)).toThrow(message);
  });

  it('rejects a non-200 answer', () => {
    expect(() => page(fixture(`${OAI_FIXTURES}/list-page1.xml`), 404)).toThrow(/expected HTTP 200 .* got 404/);
  });
});

describe('peekResumptionToken', () => {
  it('reads the token from the raw answer as the full parse does', () => {
    for (const file of ['list-page1.xml', 'list-page2.xml', 'list-page3.xml', 'error-badResumptionToken.xml']) {
      const body = fixture(`${OAI_FIXTURES}/${file}`);
      const parsed = file.startsWith('error') ? null : page(body).resumptionToken;
      expect(peekResumptionToken(body)).toBe(parsed);
    }
  });

  it('decodes entities and collapses whitespace; an empty or self-closing token is none', () => {
    expect(
      peekResumptionToken('<ListRecords><resumptionToken cursor="0">\n a&amp;b|1001 </resumptionToken></ListRecords>'),
    ).toBe('a&b|1001');
    expect(
      peekResumptionToken('<ListRecords><resumptionToken cursor="0" completeListSize="5"/></ListRecords>'),
    ).toBeNull();
    expect(peekResumptionToken('<ListRecords><resumptionToken> </resumptionToken></ListRecords>')).toBeNull();
    expect(peekResumptionToken('<ListRecords><resumptionToken>cut off')).toBeNull();
  });
});

describe('resolveVersion', () => {
  const revised = (): OaiRecord => page(fixture(`${OAI_FIXTURES}/list-page2.xml`)).records[0]!;

  it('leaves never-revised records at version 1', () => {
    const fresh = page(fixture(`${OAI_FIXTURES}/list-page1.xml`)).records[0]!;
    expect(resolveVersion(fresh, { version: 4, revisedOn: '2025-01-01' })).toMatchObject({ version: 1 });
  });

  it('numbers a revised record from the store: at least 2, the same for the same date, the next for a later one', () => {
    expect(resolveVersion(revised(), undefined)).toMatchObject({
      version: 2,
      versions: [
        { version: 1, date: '2024-01-10' },
        { version: 2, date: '2025-11-03' },
      ],
    });
    expect(resolveVersion(revised(), { version: 1, revisedOn: '2024-01-10' })).toMatchObject({ version: 2 });
    expect(resolveVersion(revised(), { version: 3, revisedOn: '2025-11-03' })).toMatchObject({ version: 3 });
    expect(resolveVersion(revised(), { version: 3, revisedOn: '2025-06-01' })).toMatchObject({ version: 4 });
  });

  it('drops a snapshot older than the stored version', () => {
    expect(resolveVersion(revised(), { version: 5, revisedOn: '2025-12-01' })).toBeNull();
  });
});
