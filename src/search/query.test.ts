import { describe, expect, it } from 'vitest';
import { parseCategoryFilter, parseQuery, separateFilters } from './query.js';

const words = (text: string) => parseQuery(text).clauses.map((c) => c.words.join(' '));

describe('parseQuery', () => {
  it('keeps the meaningful words and drops common ones', () => {
    const parsed = parseQuery('A Survey of the Efficient Attention');
    expect(words('A Survey of the Efficient Attention')).toEqual(['survey', 'efficient', 'attention']);
    expect(parsed.droppedStopWords).toEqual(['a', 'of', 'the']);
    expect(parsed.clauses.every((c) => !c.required)).toBe(true);
  });

  it('reads quoted phrases as required, an unclosed quote running to the end', () => {
    expect(parseQuery('"masked autoencoders" point clouds').clauses[0]).toEqual({
      words: ['masked', 'autoencoders'],
      prefix: false,
      titleOnly: false,
      required: true,
    });
    expect(parseQuery('“linear attention”').clauses[0]!.words).toEqual(['linear', 'attention']);
    expect(parseQuery('"unbalanced quote').clauses[0]).toMatchObject({
      words: ['unbalanced', 'quote'],
      required: true,
    });
    expect(parseQuery('"" "').clauses).toEqual([]);
  });

  it('reads a trailing star as a prefix, ignoring one on a short stem', () => {
    expect(parseQuery('transform*').clauses[0]).toMatchObject({ words: ['transform'], prefix: true, required: true });
    expect(parseQuery('tr*').clauses[0]).toMatchObject({ words: ['tr'], prefix: false, required: false });
    expect(parseQuery('*').clauses).toEqual([]);
  });

  it('reads arXiv-style field prefixes as filters and title parts', () => {
    const parsed = parseQuery('au:hinton cat:cs.CL category:cs.AI ti:diffusion author:"Yann LeCun" abs:vision');
    expect(parsed.author).toBe('hinton yann lecun');
    expect(parsed.categories).toEqual(['cs.CL', 'cs.AI']);
    expect(parsed.clauses).toEqual([
      { words: ['diffusion'], prefix: false, titleOnly: true, required: true },
      { words: ['vision'], prefix: false, titleOnly: false, required: false },
    ]);
  });

  it('treats FTS and tsquery syntax as plain text', () => {
    expect(words('NEAR(attention transformer) AND ^title -cnn OR NOT x:y')).toEqual([
      'near',
      'attention',
      'transformer',
      'title',
      'x',
      'y',
    ]);
    expect(words("title:' OR 1=1; DROP TABLE papers; --")).toEqual(['1', 'drop', 'table', 'papers']);
    expect(words("robert'); DELETE FROM papers")).toEqual(['robert', 'delete', 'papers']);
    expect(parseQuery('cat:"; DROP').categories).toEqual([]);
  });

  it('keeps letters of every script and drops emoji, control characters and NUL bytes', () => {
    expect(words('🚀 Überraschung 注意力 \u0000null\u0007')).toEqual(['überraschung', '注意力', 'null']);
    expect(words('🚀🔥')).toEqual([]);
  });

  it('bounds what a huge query costs', () => {
    const parsed = parseQuery('attention '.repeat(2000) + Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    expect(parsed.clauses.length).toBeLessThanOrEqual(32);
    expect(parseQuery(`"${'x '.repeat(100)}"`).clauses[0]!.words.length).toBeLessThanOrEqual(12);
  });

  it('reads a query of only common words as nothing to look for', () => {
    const parsed = parseQuery('the of and');
    expect(parsed.clauses).toEqual([]);
    expect(parsed.droppedStopWords).toEqual(['the', 'of', 'and']);
  });

  it('separates the filter parts from the words, for modes that do not read them', () => {
    expect(separateFilters('au:"Yann LeCun" convolution cat:cs.CV nets')).toEqual({
      text: 'convolution nets',
      author: 'yann lecun',
      categories: ['cs.CV'],
      excludedWords: [],
    });
    expect(separateFilters('ti:attention abs:vision')).toEqual({
      text: 'ti:attention abs:vision',
      author: null,
      categories: [],
      excludedWords: [],
    });
  });
});

describe('parseCategoryFilter', () => {
  it('includes categories joined by +, spaces or commas, and excludes one after a -', () => {
    expect(parseCategoryFilter('cs.CL cs.LG-cs.CY')).toEqual({ include: ['cs.CL', 'cs.LG'], exclude: ['cs.CY'] });
    expect(parseCategoryFilter('cs.CL+cs.LG-cs.CY-stat.ML')).toEqual({
      include: ['cs.CL', 'cs.LG'],
      exclude: ['cs.CY', 'stat.ML'],
    });
    expect(parseCategoryFilter('-cs.CY,cs.AI')).toEqual({ include: ['cs.AI'], exclude: ['cs.CY'] });
  });

  it('keeps the hyphens inside category names, and excludes hyphenated archives', () => {
    expect(parseCategoryFilter('hep-th cond-mat.mes-hall physics.chem-ph')).toEqual({
      include: ['cond-mat.mes-hall', 'hep-th', 'physics.chem-ph'],
      exclude: [],
    });
    expect(parseCategoryFilter('cs.LG-hep-th-math-ph-cond-mat.str-el')).toEqual({
      include: ['cs.LG'],
      exclude: ['cond-mat.str-el', 'hep-th', 'math-ph'],
    });
  });

  it('hands back what is not a category for the caller to refuse, and reads nothing from nothing', () => {
    expect(parseCategoryFilter('cs.CL-<script>')).toEqual({ include: ['cs.CL-<script>'], exclude: [] });
    expect(parseCategoryFilter("-' OR 1=1")).toEqual({ include: ['1=1', 'OR'], exclude: ["'"] });
    expect(parseCategoryFilter(' + , ')).toEqual({ include: [], exclude: [] });
    expect(parseCategoryFilter('--cs.CY')).toEqual({ include: [], exclude: ['cs.CY'] });
  });
});

describe('-word', () => {
  it('reads -word and -"a phrase" as what a paper must not have, and takes them out of the text', () => {
    const parsed = parseQuery('attention -graph -"message passing" state-of-the-art');
    expect(parsed.excluded).toEqual([['graph'], ['message', 'passing']]);
    expect(parsed.clauses.map((c) => c.words.join(' '))).toEqual(['attention', 'state', 'art']);
    expect(separateFilters('attention -graph -"message passing" cat:cs.CL')).toMatchObject({
      text: 'attention',
      excludedWords: ['graph', 'message passing'],
      categories: ['cs.CL'],
    });
  });

  it('ignores a lone dash and keeps only letters and digits of what follows', () => {
    expect(parseQuery('a - b').excluded).toEqual([]);
    expect(parseQuery('x -NEAR(") OR 1=1').excluded).toEqual([['near']]);
    expect(parseQuery(`x ${'-y '.repeat(100)}`).excluded.length).toBeLessThanOrEqual(32);
  });
});
