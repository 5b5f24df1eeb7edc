import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OAI_FIXTURES } from '../../../test/helpers/arxiv-server.js';
import { oaiListPage, oaiRecord } from '../../../test/helpers/oai-listing.js';
import { OaiError, parseListRecords } from './oai.js';
import { OaiPageParser, OFF_THREAD_MIN_CHARS } from './oai-parser.js';
import { ArxivFormatError } from './xml.js';

const url = 'http://127.0.0.1/oai?verb=ListRecords';
const answer = (body: string) => ({ url, status: 200, contentType: 'text/xml', body });

/** A ListRecords page large enough to be parsed on the worker thread. */
function largePage(): string {
  const records: string[] = [];
  for (let i = 0; records.join('').length < OFF_THREAD_MIN_CHARS; i++) {
    records.push(
      oaiRecord({
        id: `2511.${String(20000 + i)}`,
        title: `Scaling  laws for $x^{${i}}$ & <friends>`,
        abstract: `We study ${'large '.repeat(300)}models; code at https://github.com/example/repo${i}.`,
        authors: ['Ada Lovelace', 'Kurt Gödel'],
        categories: ['cs.LG', 'stat.ML'],
        published: '2025-11-03',
      }),
    );
  }
  return oaiListPage(records, { cursor: 0, completeListSize: records.length * 2, nextToken: 'next|page' });
}

describe('OaiPageParser', () => {
  const parser = new OaiPageParser();
  afterEach(() => parser.close());

  it('parses a large page on its worker thread to exactly what parseListRecords returns', async () => {
    const body = largePage();
    expect(body.length).toBeGreaterThanOrEqual(OFF_THREAD_MIN_CHARS);
    const parsed = await parser.parse(answer(body));
    expect(parsed).toEqual(parseListRecords(answer(body)));
    expect(parsed.records[3]!.paper).toMatchObject({
      id: '2511.20003',
      title: 'Scaling laws for $x^{3}$ & <friends>',
      authors: [{ name: 'Ada Lovelace' }, { name: 'Kurt Gödel' }],
    });
    expect(parsed.resumptionToken).toBe('next|page');
  });

  it('answers several pages asked at once, each with its own', async () => {
    const body = largePage();
    const small = fixture(`${OAI_FIXTURES}/list-page1.xml`);
    const [a, b, c] = await Promise.all([
      parser.parse(answer(body)),
      parser.parse(answer(small)),
      parser.parse(answer(body.replace('next|page', 'other|page'))),
    ]);
    expect(a.resumptionToken).toBe('next|page');
    expect(b.records.map((r) => r.paper.id)).toEqual(['2511.01001', '2511.01002']);
    expect(c.resumptionToken).toBe('other|page');
  });

  it('rejects a large malformed or error answer with the same error class and message as in-thread parsing', async () => {
    const truncated = largePage().slice(0, -200);
    const padded = fixture(`${OAI_FIXTURES}/error-badResumptionToken.xml`).replace(
      '<OAI-PMH',
      `<!--${' '.repeat(OFF_THREAD_MIN_CHARS)}-->\n<OAI-PMH`,
    );
    const inThread = (body: string) => {
      try {
        parseListRecords(answer(body));
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected a parse error');
    };
    await expect(parser.parse(answer(truncated))).rejects.toSatisfy(
      (error) => error instanceof ArxivFormatError && error.message === inThread(truncated).message,
    );
    await expect(parser.parse(answer(padded))).rejects.toSatisfy(
      (error) =>
        error instanceof OaiError && error.code === 'badResumptionToken' && error.message === inThread(padded).message,
    );
    // The thread survives a bad page.
    expect((await parser.parse(answer(largePage()))).records.length).toBeGreaterThan(0);
  });
});
