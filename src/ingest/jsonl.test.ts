import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { testDatabases } from '../../test/helpers/db.js';
import { searchLexical } from '../search/lexical.js';
import { countPapers, getPaper } from '../store/papers.js';
import { importJsonl, parseImportLine, readLines, type BadLine } from './jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFixture(name: string, lines: string[], gzip = false): string {
  const path = join(dir, name);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);

function reason(text: string): string {
  const parsed = parseImportLine(text);
  if (parsed.ok) throw new Error(`expected ${text.slice(0, 60)} to be rejected`);
  return parsed.reason;
}

describe('parseImportLine', () => {
  it('normalises a record: whitespace collapsed (LaTeX kept), author names, versioned and prefixed ids', () => {
    const parsed = parseImportLine(
      line({
        id: 'arXiv:2203.06604v3',
        title: '  Masked   Autoencoders\n for $\\mathbb{R}^3$ \\emph{Point}  Clouds ',
        abstract: 'We  study\n\tpoints.',
        authors: ['Yatian  Pang', { name: 'Wenxiao Wang' }, '  '],
        categories: ['cs.CV', 'cs.LG', 'cs.CV', '68T45, 62H30', 'I.5.3; I.2.10'],
        published: '2022-03-13',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      record: {
        id: '2203.06604',
        version: 3,
        title: 'Masked Autoencoders for $\\mathbb{R}^3$ \\emph{Point} Clouds',
        abstract: 'We study points.',
        authors: [{ name: 'Yatian Pang' }, { name: 'Wenxiao Wang' }],
        categories: ['cs.CV', 'cs.LG'],
        publishedOn: '2022-03-13',
      },
    });
  });

  it('derives a missing date from a new-style id and accepts old-style and source ids', () => {
    const modern = parseImportLine(line({ id: '2501.01234', title: 'T' }));
    expect(modern).toMatchObject({
      ok: true,
      record: { publishedOn: '2025-01-01', abstract: '', authors: [], categories: [] },
    });
    expect(parseImportLine(line({ id: 'hep-th/9901001', title: 'T' }))).toMatchObject({
      ok: true,
      record: { id: 'hep-th/9901001', publishedOn: '1999-01-01' },
    });
    expect(parseImportLine(line({ id: 'scifact:4983', title: 'T' }))).toMatchObject({
      ok: true,
      record: { id: 'scifact:4983', publishedOn: null },
    });
  });

  it('keeps <script> and other markup as plain text (escaping is the pages’ job)', () => {
    expect(parseImportLine(line({ id: '2501.00001', title: '<script>alert(1)</script> & <b>x</b>' }))).toMatchObject({
      ok: true,
      record: { title: '<script>alert(1)</script> & <b>x</b>' },
    });
  });

  it('rejects broken JSON and non-objects', () => {
    expect(reason('{"id": "2501.00001", "title": "trunc')).toMatch(/^invalid JSON: /);
    expect(reason('[1, 2]')).toBe('not a JSON object');
    expect(reason('null')).toBe('not a JSON object');
    expect(reason('"2501.00001"')).toBe('not a JSON object');
  });

  it('rejects a missing id or title and malformed ids, injection strings included', () => {
    expect(reason(line({ title: 'No id' }))).toBe('id is required');
    expect(reason(line({ id: '2501.00001' }))).toBe('title is required');
    expect(reason(line({ id: '2501.00001', title: ' \n ' }))).toBe('title is empty');
    expect(reason(line({ id: "1'; DROP TABLE papers;--", title: 'x' }))).toBe(
      'malformed id "1\'; DROP TABLE papers;--"',
    );
    expect(reason(line({ id: '2513.00001', title: 'month 13' }))).toMatch(/^malformed id/);
    expect(reason(line({ id: 'nosuchsource:1', title: 'x' }))).toMatch(/^malformed id/);
  });

  it('rejects wrong types, naming each bad field', () => {
    expect(reason(line({ id: 2501.00001, title: 'x' }))).toBe('id must be a string');
    expect(reason(line({ id: '2501.00001', title: ['x'] }))).toBe('title must be a string');
    expect(reason(line({ id: '2501.00001', title: 'x', authors: 'Ada Lovelace' }))).toBe('authors must be an array');
    expect(reason(line({ id: '2501.00001', title: 'x', authors: [42] }))).toBe('each author must be a name or {name}');
    expect(reason(line({ id: '2501.00001', title: 'x', categories: [1] }))).toBe('each category must be a string');
    expect(reason(line({ id: '2501.00001', title: 'x', published: '2025-02-30' }))).toBe(
      'published is not a valid YYYY-MM-DD date',
    );
    expect(reason(line({ id: '2501.00001', title: 7, published: 20250101 }))).toBe(
      'title must be a string; published must be a YYYY-MM-DD string',
    );
  });

  it('rejects absurd sizes', () => {
    expect(reason(line({ id: '2501.00001', title: 'x'.repeat(1001) }))).toBe('title is longer than 1,000 characters');
    expect(reason(line({ id: '2501.00001', title: 'x', abstract: 'y'.repeat(20_001) }))).toBe(
      'abstract is longer than 20,000 characters',
    );
    expect(
      reason(line({ id: '2501.00001', title: 'x', authors: Array.from({ length: 10_001 }, (_, i) => `A${i}`) })),
    ).toBe('more than 10,000 authors');
    expect(
      parseImportLine(
        line({ id: '2501.00001', title: 'x'.repeat(1000), authors: Array.from({ length: 3303 }, (_, i) => `A${i}`) }),
      ).ok,
    ).toBe(true);
  });
});

describe('readLines', () => {
  it('numbers lines, strips CR and a BOM, keeps a last line without newline, and skips over-long lines without holding them', async () => {
    const path = join(dir, 'lines.txt');
    writeFileSync(path, `\uFEFFfirst\r\nsecond\n${'x'.repeat(5000)}\n\nlast`);
    const lines = [];
    for await (const l of readLines(path, { maxBytes: 4096 })) lines.push(l);
    expect(lines).toEqual([
      { number: 1, text: 'first', bytes: 'first\r'.length + 3 },
      { number: 2, text: 'second', bytes: 6 },
      { number: 3, text: null, bytes: 5000 },
      { number: 4, text: '', bytes: 0 },
      { number: 5, text: 'last', bytes: 4 },
    ]);
  });

  it('reads gzip by its content, whatever the file is called', async () => {
    const path = join(dir, 'compressed.data');
    writeFileSync(path, gzipSync('a\nb\n'));
    const texts = [];
    for await (const l of readLines(path)) texts.push(l.text);
    expect(texts).toEqual(['a', 'b']);
  });

  it('fails on a truncated gzip file', async () => {
    const path = join(dir, 'truncated.gz');
    const whole = gzipSync('{"id":"2501.00001","title":"x"}\n'.repeat(1000));
    writeFileSync(path, whole.subarray(0, whole.length - 40));
    const read = async () => {
      for await (const _ of readLines(path));
    };
    await expect(read()).rejects.toThrow(/unexpected end of file/);
  });
});

describe.each(testDatabases())('importJsonl on $dialect', ({ create }) => {
  let db: Db;
  beforeEach(async () => {
    db = await create();
  });
  afterEach(async () => {
    await db.close();
  });

  const good = [
    line({
      id: '2501.00001',
      title: 'Diffusion models for $x^2$\u0000 <script>alert(1)</script>',
      abstract: 'Code at\u0007 https://github.com/a/b.',
      authors: ['Ada\u0000Lovelace'],
      categories: ['cs.LG'],
      published: '2025-01-15',
    }),
    line({
      id: '2501.00002',
      title: 'Graph networks',
      abstract: 'Message passing.',
      authors: ['Alan Turing', 'Grace Hopper'],
    }),
    line({ id: 'hep-th/9901001', title: 'Strings', abstract: 'Old style.' }),
  ];
  const hostile = [
    '{"id": "2501.00003", "title": "truncated',
    line({ id: '2501.00004', title: 'Huge', abstract: 'z'.repeat(2 * 1024 * 1024) }),
    line({ id: "1'; DROP TABLE papers;--", title: 'Injected' }),
    line({ id: '2501.00005', title: { text: 'wrong type' } }),
    line({ title: 'no id' }),
  ];

  it('imports the good lines, reports each bad one by line number, and stores nothing of the bad', async () => {
    const path = writeFixture(`mixed-${db.dialect}.jsonl`, [
      good[0]!,
      hostile[0]!,
      good[1]!,
      hostile[1]!,
      '',
      hostile[2]!,
      hostile[3]!,
      good[2]!,
      hostile[4]!,
    ]);
    const bad: BadLine[] = [];
    const summary = await importJsonl(db, path, { onBadLine: (b) => bad.push(b) });
    expect(summary).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, bad: 5 });
    expect(bad.map((b) => b.line)).toEqual([2, 4, 6, 7, 9]);
    expect(bad[0]!.reason).toMatch(/^invalid JSON/);
    expect(bad[1]!.reason).toMatch(/^line is 2,097,2\d\d bytes, more than 1,048,576$/);
    expect(bad[2]!.reason).toMatch(/^malformed id/);
    expect(bad[3]!.reason).toBe('title must be a string');
    expect(bad[4]!.reason).toBe('id is required');
    expect(await countPapers(db)).toBe(3);
    const paper = await getPaper(db, '2501.00001');
    expect(paper).toMatchObject({
      title: 'Diffusion models for $x^2$ <script>alert(1)</script>',
      authors: [{ name: 'Ada Lovelace' }],
      githubUrl: 'https://github.com/a/b',
      publishedOn: '2025-01-15',
      featuredOn: null,
    });
    expect((await getPaper(db, '2501.00002'))?.publishedOn).toBe('2025-01-01');
  });

  it('imports a .gz file, features new papers on the given day, and re-importing changes nothing', async () => {
    const path = writeFixture(`good-${db.dialect}.jsonl.gz`, good, true);
    expect(await importJsonl(db, path, { featuredOn: '2026-11-27' })).toMatchObject({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      bad: 0,
    });
    const before = await getPaper(db, '2501.00002');
    expect(before?.featuredOn).toBe('2026-11-27');
    expect(await importJsonl(db, path, { featuredOn: '2026-11-28' })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 3,
      bad: 0,
    });
    expect(await getPaper(db, '2501.00002')).toEqual(before);
  });

  it('updates an edited record, including its authors, and keeps the last of duplicate lines', async () => {
    await importJsonl(db, writeFixture(`v1-${db.dialect}.jsonl`, good));
    const edited = line({
      id: '2501.00002',
      title: 'Graph neural networks',
      abstract: 'Message passing.',
      authors: ['Grace Hopper'],
    });
    const duplicate = line({
      id: '2501.00002',
      title: 'Graph neural networks, revised',
      abstract: 'Message passing.',
      authors: ['Grace Hopper'],
    });
    const summary = await importJsonl(
      db,
      writeFixture(`v2-${db.dialect}.jsonl`, [good[0]!, edited, duplicate, duplicate]),
      { batchSize: 2 },
    );
    expect(summary).toMatchObject({ inserted: 0, updated: 2, unchanged: 2, bad: 0 });
    expect(await getPaper(db, '2501.00002')).toMatchObject({
      title: 'Graph neural networks, revised',
      authors: [{ name: 'Grace Hopper' }],
    });
    const authorRows = await db.kysely
      .selectFrom('paper_authors')
      .select('name')
      .where('paper_id', '=', '2501.00002')
      .execute();
    expect(authorRows).toEqual([{ name: 'Grace Hopper' }]);
    expect((await searchLexical(db, { text: 'revised' })).map((h) => h.id)).toEqual(['2501.00002']);
  });

  it('keeps the batches stored before a file turns out to be corrupt', async () => {
    const path = join(dir, `corrupt-${db.dialect}.jsonl.gz`);
    const lines = Array.from({ length: 3000 }, (_, i) =>
      line({ id: `2502.${String(i).padStart(5, '0')}`, title: `Paper ${i}` }),
    );
    const whole = gzipSync(lines.join('\n'));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.9)));
    await expect(importJsonl(db, path, { batchSize: 1000 })).rejects.toThrow(/unexpected end of file/);
    expect(await countPapers(db)).toBeGreaterThanOrEqual(1000);
  });
});
