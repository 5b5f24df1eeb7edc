import { describe, expect, it } from 'vitest';
import { paperWords, rankBySimilarity, type SimilarityWeights, sentencesOf, Vocabulary } from './paper-similarity.js';

describe('sentencesOf', () => {
  it('splits after a full stop, question or exclamation mark before a capital or digit, not inside "e.g." or "3.5"', () => {
    expect(sentencesOf('We study graphs, e.g. trees. Results improve by 3.5 points! 2 methods win? yes.')).toEqual([
      'We study graphs, e.g. trees.',
      'Results improve by 3.5 points!',
      '2 methods win? yes.',
    ]);
  });

  it('gives none for an empty abstract', () => {
    expect(sentencesOf('  ')).toEqual([]);
  });
});

/** The stem ids of a text's content words, read with a vocabulary. */
function termsOf(vocabulary: Vocabulary, text: string): number[] {
  const terms: number[] = [];
  vocabulary.forEachTerm(text, (term) => terms.push(term));
  return terms;
}

describe('Vocabulary', () => {
  it('gives words with one stem one id, and none to stop words and stray characters', () => {
    const vocabulary = new Vocabulary();
    const [network, networks, graphs] = termsOf(vocabulary, 'Network, the NETWORKS of x graphs!');
    expect(networks).toBe(network);
    expect(graphs).not.toBe(network);
    expect(termsOf(vocabulary, 'the x of')).toEqual([]);
    expect(termsOf(vocabulary, 'graph networks')).toEqual([graphs, network]);
    expect(vocabulary.size).toBe(7); // network, the, networks, of, x, graphs, graph
  });

  it('splits words beyond ASCII as Unicode letters and digits, after NFKC (ligatures, full-width letters)', () => {
    const vocabulary = new Vocabulary();
    const [efficient, graph] = termsOf(vocabulary, 'efficient graph');
    expect(termsOf(vocabulary, 'Eﬃcient—ＧＲＡＰＨ')).toEqual([efficient, graph]);
    const [cafe, resume] = termsOf(vocabulary, 'Café résumé');
    expect(termsOf(vocabulary, 'café,résumé')).toEqual([cafe, resume]);
    expect(cafe).not.toBe(termsOf(vocabulary, 'cafe')[0]);
  });

  it('keeps no run-on strings: words past 40 characters count for nothing and take no room', () => {
    const vocabulary = new Vocabulary();
    const runOn = Array.from({ length: 100 }, (_, i) => `${'x'.repeat(200)}${i}`).join(' ');
    expect(termsOf(vocabulary, `${runOn} graph ${'é'.repeat(41)}`)).toHaveLength(1);
    expect(vocabulary.size).toBe(1);
  });

  it('keeps telling words apart as it grows past its first table', () => {
    const vocabulary = new Vocabulary();
    const words = Array.from({ length: 50_000 }, (_, i) => `w${i.toString(36)}q`);
    const ids = termsOf(vocabulary, words.join(' '));
    expect(new Set(ids).size).toBe(words.length);
    expect(termsOf(vocabulary, words.slice(0, 1_000).reverse().join(' '))).toEqual(ids.slice(0, 1_000).reverse());
  });
});

describe('paperWords', () => {
  it('counts stems over the whole paper and per sentence, the title a sentence of its own, stop words left out', () => {
    const vocabulary = new Vocabulary();
    const words = paperWords(
      { title: 'Graph networks', abstract: 'Networks of graphs. The network learns.' },
      vocabulary,
    );
    const [graph, network, learn] = termsOf(vocabulary, 'graph network learn');
    const count = (term: number | undefined) => words.counts[words.terms.indexOf(term!)];
    expect(count(graph)).toBe(2);
    expect(count(network)).toBe(3);
    expect(words.terms).toHaveLength(3);
    expect([...words.sentenceEnds]).toEqual([2, 4, 6]);
    const last = [...words.sentenceTerms.subarray(4)].map((at) => words.terms[at]);
    expect(last).toEqual([network, learn]);
    expect([...words.sentenceCounts.subarray(4)]).toEqual([1, 1]);
  });

  it('counts a word repeated within a sentence once per occurrence', () => {
    const vocabulary = new Vocabulary();
    const words = paperWords({ title: 'Graphs', abstract: 'A graph, graphs and graphing of graphs.' }, vocabulary);
    expect([...words.sentenceEnds]).toEqual([1, 2]);
    expect([...words.sentenceCounts]).toEqual([1, 4]);
  });

  it('counts the terms of a sentence too long to sort by insertion as those of short ones', () => {
    const vocabulary = new Vocabulary();
    const text = Array.from({ length: 300 }, (_, i) => `w${(i * 7) % 100}x`).join(' ');
    const words = paperWords({ title: 'Graphs', abstract: `${text}. Graphs of ${text}` }, vocabulary);
    expect([...words.sentenceEnds]).toEqual([1, 101, 202]);
    expect([...words.sentenceCounts.subarray(1, 101)]).toEqual(Array(100).fill(3));
    expect([...words.sentenceTerms.subarray(101, 202)]).toEqual([...Array(101).keys()].sort((a, b) => a - b));
  });

  it('skips a sentence with no content words', () => {
    expect(paperWords({ title: 'Of the', abstract: 'Graphs.' }, new Vocabulary()).sentenceEnds).toHaveLength(1);
  });
});

const only = (measure: keyof SimilarityWeights): SimilarityWeights => ({
  words: 0,
  vectors: 0,
  sentences: 0,
  [measure]: 1,
});
const vocabulary = new Vocabulary();
const candidate = (id: string, title: string, abstract: string, vectorSimilarity = 0) => ({
  id,
  words: paperWords({ title, abstract }, vocabulary),
  vectorSimilarity,
});

describe('rankBySimilarity', () => {
  const query = paperWords(
    {
      title: 'Protein folding with graph networks',
      abstract: 'Proteins fold into structures. We predict contact maps with message passing over residue graphs.',
    },
    vocabulary,
  );
  const filler = [
    candidate('f1', 'Image classification', 'Convolutional networks classify photographs of animals.'),
    candidate('f2', 'Speech recognition', 'Recurrent models transcribe spoken audio into text.'),
    candidate('f3', 'Database indexing', 'B-trees keep sorted keys for range scans on disk.'),
  ];

  it('ranks by words the paper that shares the rare words above one that shares only common ones', () => {
    const ranked = rankBySimilarity(
      query,
      [
        ...filler,
        candidate('common', 'Graph networks', 'Networks of networks, graph after graph.'),
        candidate('rare', 'Residue contact maps', 'Protein residue contact maps from message passing.'),
      ],
      only('words'),
    );
    expect(ranked[0]!.id).toBe('rare');
    expect(ranked).toHaveLength(5);
  });

  it('rewards by sentences a candidate that matches one of the query sentences closely over one that matches every sentence a little', () => {
    const ranked = rankBySimilarity(
      query,
      [
        ...filler,
        // Shares one whole sentence's words (the method), nothing else.
        candidate('facet', 'Unrelated title', 'We predict contact maps with message passing over residue graphs.'),
        // Shares a word or two with each sentence, amid words the query has none of.
        candidate(
          'spread',
          'Hobbies',
          'Folding paper, cooking, gardening, painting, the structures of buildings and contact sports are hobbies.',
        ),
      ],
      only('sentences'),
    );
    expect(ranked[0]!.id).toBe('facet');
  });

  it('orders by the vector similarity alone when only vectors count, ties by id', () => {
    const ranked = rankBySimilarity(
      query,
      [candidate('b', 'x', 'y', 0.2), candidate('a', 'x', 'y', 0.2), candidate('c', 'x', 'y', 0.9)],
      only('vectors'),
    );
    expect(ranked.map((h) => h.id)).toEqual(['c', 'a', 'b']);
  });

  it('standardises each measure, so a vector similarity spread a hundred times wider does not drown the words', () => {
    const words = rankBySimilarity(
      query,
      [
        ...filler.map((c) => ({ ...c, vectorSimilarity: 50 })),
        candidate('close in words', 'Protein folding', 'Residue graphs and contact maps by message passing.', 0),
        candidate('close in vectors', 'Sorting', 'Quicksort partitions arrays.', 100),
      ],
      { words: 2, vectors: 1, sentences: 0 },
    );
    expect(words[0]!.id).toBe('close in words');
  });

  it('ranks nothing for no candidates and scores a candidate with no words as unlike', () => {
    expect(rankBySimilarity(query, [], only('words'))).toEqual([]);
    const ranked = rankBySimilarity(query, [candidate('empty', '', ''), ...filler.slice(0, 1)], {
      words: 1,
      vectors: 0,
      sentences: 1,
    });
    expect(ranked.map((h) => h.id)).toContain('empty');
    expect(ranked.every((h) => Number.isFinite(h.score))).toBe(true);
  });
});
