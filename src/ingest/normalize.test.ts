import { describe, expect, it } from 'vitest';
import {
  collapseWhitespace,
  dateFromArxivId,
  dayOf,
  firstDoi,
  joinNameParts,
  optionalText,
  orderCategories,
  parsePaperId,
} from './normalize.js';

describe('parsePaperId', () => {
  it.each([
    ['2203.06604', '2203.06604', null],
    ['2203.06604v3', '2203.06604', 3],
    ['arXiv:1706.03762', '1706.03762', null],
    ['https://arxiv.org/abs/2104.12255v1', '2104.12255', 1],
    ['https://arxiv.org/pdf/2104.12255v2.pdf', '2104.12255', 2],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['quant-ph/0201082v1', 'quant-ph/0201082', 1],
    ['math.GT/0309136', 'math.GT/0309136', null],
    ['doi:10.1101/2024.01.02.123456', 'doi:10.1101/2024.01.02.123456', null],
    ['scifact:4983', 'scifact:4983', null],
  ])('accepts %s', (raw, id, version) => {
    expect(parsePaperId(raw)).toEqual({ id, version });
  });

  it.each([
    '',
    'abc',
    'doi:10.1/a\u0000b',
    '2213.00001',
    '12345.6789',
    'foo:bar',
    '<script>alert(1)</script>',
    "1'; DROP TABLE papers;--",
    'x'.repeat(300),
  ])('rejects %s', (raw) => {
    expect(parsePaperId(raw)).toBeNull();
  });
});

describe('dateFromArxivId', () => {
  it('derives the month from new and old style ids', () => {
    expect(dateFromArxivId('2203.06604')).toBe('2022-03-01');
    expect(dateFromArxivId('0704.0001')).toBe('2007-04-01');
    expect(dateFromArxivId('hep-th/9901001')).toBe('1999-01-01');
    expect(dateFromArxivId('scifact:1')).toBeNull();
  });
});

describe('text helpers', () => {
  it('collapses whitespace but keeps LaTeX', () => {
    expect(collapseWhitespace('  A  study of\n  $x^2 +\ty$ \\emph{now} ')).toBe('A study of $x^2 + y$ \\emph{now}');
  });
});

describe('arXiv metadata helpers', () => {
  it('joins name parts and drops names without letters', () => {
    expect(joinNameParts('Philipp  A', 'Hoehn', undefined)).toBe('Philipp A Hoehn');
    expect(joinNameParts(null, 'Planck Collaboration')).toBe('Planck Collaboration');
    expect(joinNameParts('R.', 'W.', 'IV')).toBe('R. W. IV');
    expect(joinNameParts(undefined, ':')).toBeNull();
  });

  it('puts the primary category first, once, and drops MSC and ACM classes', () => {
    expect(orderCategories(['cs.AI', 'cs.CV', 'cs.LG'], 'cs.CV')).toEqual(['cs.CV', 'cs.AI', 'cs.LG']);
    expect(orderCategories(['hep-th', 'math-ph', 'math.MP', '68T45, 62H30', 'I.5.3; I.2.10', ''])).toEqual([
      'hep-th',
      'math-ph',
      'math.MP',
    ]);
  });

  it('keeps the first of several DOIs', () => {
    expect(firstDoi('10.1103/PhysRevD.93.016005, 10.1103/PhysRevD.98.079901;10.1103/PhysRevD.98.079903')).toBe(
      '10.1103/PhysRevD.93.016005',
    );
    expect(firstDoi('http://dx.doi.org/10.1103/PhysRevB.85.115117')).toBe('10.1103/PhysRevB.85.115117');
    expect(firstDoi('no doi here')).toBeNull();
    expect(firstDoi(null)).toBeNull();
  });

  it('reads days from dates and timestamps and rejects anything else', () => {
    expect(dayOf('2021-04-20T16:07:14Z')).toBe('2021-04-20');
    expect(dayOf(' 2014-12-29 ')).toBe('2014-12-29');
    expect(dayOf('2014-13-45')).toBeNull();
    expect(dayOf('2023-02-30')).toBeNull();
    expect(dayOf('yesterday')).toBeNull();
    expect(dayOf(undefined)).toBeNull();
  });

  it('turns empty optional text into null', () => {
    expect(optionalText('  7 pages,\n  3 figures ')).toBe('7 pages, 3 figures');
    expect(optionalText(' \n ')).toBeNull();
  });
});
