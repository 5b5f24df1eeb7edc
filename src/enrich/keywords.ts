import { stemmer } from 'stemmer';
import { plainWords } from './sentences.js';

/** How many papers of a corpus have each word (by its stemmed key): what makes a word telling. */
export interface DocumentFrequencies {
  documents: number;
  counts: Map<string, number>;
}

export const MIN_KEYWORDS = 5;
export const MAX_KEYWORDS = 8;
/** Longest keyphrase, in words. */
const MAX_PHRASE_WORDS = 3;
/** Longer phrases hold more rare words; their score is divided by their length to this power so single words still compete. */
const LENGTH_DISCOUNT = 0.25;
/** A phrase scoring below this share of the best one is left out once MIN_KEYWORDS are chosen. */
const MIN_RELATIVE_SCORE = 0.2;

/**
 * Words that break a phrase: function words, and the vocabulary every abstract shares ("we propose a
 * novel method that achieves state-of-the-art results"), which says nothing about what a paper is about.
 */
const DELIMITERS = new Set(
  `a about above across after again against all almost along also although am among an and another any are around as at
  be because been before being below between beyond both but by can cannot could did do does doing done down due during each
  either else enough especially even ever every few for from further furthermore had has have having here hence how however i
  if in into is it its itself just less let like many may me might more moreover most much must my namely near neither no nor
  not of off often on once one only onto or other others otherwise our ours out over own per perhaps rather same several
  shall she should since so some such than that the their them themselves then there thereby therefore these they this those
  though three through thus to together too toward towards two under unlike until up upon us very via was we well were what
  whatever when where whereas whether which while who whom whose why will with within without would yet you your
  approach approaches achieve achieves achieved achieving address addresses based benchmark benchmarks better challenge
  challenges challenging common compared comparison comprehensive conduct conducted consider considered current demonstrate
  demonstrates demonstrated demonstrating different effective effectively efficient existing experiment experiments
  experimental extensive extensively first framework further furthermore general given good high highly important improve
  improved improves improving including introduce introduces introduced key large-scale leads leverage leverages limited
  made make makes making method methods new novel obtain obtained paper particular perform performance performs present
  presents previous prior problem problems propose proposed proposes provide provides recent recently remains result results
  second shows show shown significant significantly simple state-of-the-art strong studies study substantially superior
  task tasks use used uses using various way ways widely work works yield yields`.split(/\s+/),
);

// A memo of the stemmer (a pure function), bounded: abstracts repeat their words, and stemming was a third of the time.
const stems = new Map<string, string>();
function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    if (stems.size > 200_000) stems.clear();
    stemmed = stemmer(word);
    stems.set(word, stemmed);
  }
  return stemmed;
}

/** A word's keys: lower-cased and stemmed, one per part of a hyphenated word ("Hand-Gesture" is "hand gestur"). */
export function wordKeys(word: string): string[] {
  return word
    .toLowerCase()
    .split(/[-']/)
    .filter((part) => part.length > 0)
    .map(stem);
}

const TOKEN = /([\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*)|([^\s\p{L}\p{N}])/gu;

/** Runs of content words between delimiters, each word as written. */
function contentRuns(text: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  const end = () => {
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (const match of plainWords(text).matchAll(TOKEN)) {
    const word = match[1]?.replace(/’/g, "'");
    if (!word || word.length > 40 || DELIMITERS.has(word.toLowerCase()) || /^[\p{N}-]+$/u.test(word)) end();
    else if (word.length < 2) end();
    else run.push(word);
  }
  end();
  return runs;
}

/** Counts, for each word key, the texts it occurs in. */
export function countDocumentFrequencies(texts: Iterable<string>): DocumentFrequencies {
  const counts = new Map<string, number>();
  let documents = 0;
  for (const text of texts) {
    documents++;
    const keys = new Set(contentRuns(text).flatMap((run) => run.flatMap(wordKeys)));
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { documents, counts };
}

/** Smoothed inverse document frequency of a word key; a word the corpus never saw counts as rare. */
export function inverseFrequency(frequencies: DocumentFrequencies, key: string): number {
  return Math.log((frequencies.documents + 1) / ((frequencies.counts.get(key) ?? 0) + 1)) + 1;
}

/** A word as shown: lower-cased, unless a part carries capitals past its first letter (BERT, GPT-4, LoRA, not Long-Context). */
function shownWord(word: string): string {
  return word.split('-').some((part) => /\p{Lu}/u.test(part.slice(1))) ? word : word.toLowerCase();
}

interface Candidate {
  shown: string;
  keys: string[];
  occurrences: number;
}

/**
 * 5–8 keyphrases of a paper: runs of up to three content words from its title and abstract (math,
 * URLs and LaTeX commands left out), each scored by how often it occurs (a title occurrence counts
 * twice) times the summed rarity of its words in the corpus, over the square root of its length, best
 * first. A phrase sharing half its words with a chosen one is left out, so "language models" does not
 * follow "large language models".
 */
export function extractKeywords(title: string, abstract: string, frequencies: DocumentFrequencies): string[] {
  const rarity = (keys: string[]) => keys.reduce((sum, key) => sum + inverseFrequency(frequencies, key), 0);
  const candidates = new Map<string, Candidate>();
  const collect = (text: string, weight: number) => {
    for (const run of contentRuns(text)) {
      for (let length = 1; length <= MAX_PHRASE_WORDS; length++) {
        for (let start = 0; start + length <= run.length; start++) {
          const words = run.slice(start, start + length);
          // A phrase opening on a past participle is mostly a verb's tail ("gained popularity", "proposed loss").
          if (/ed$/i.test(words[0]!) && length > 1) continue;
          const keys = words.flatMap(wordKeys);
          const id = keys.join(' ');
          const found = candidates.get(id);
          if (found) found.occurrences += weight;
          else candidates.set(id, { shown: words.map(shownWord).join(' '), keys, occurrences: weight });
        }
      }
    }
  };
  collect(title, 2);
  collect(abstract, 1);
  const scored = [...candidates.values()]
    .map((c) => ({ ...c, score: (c.occurrences * rarity(c.keys)) / c.keys.length ** LENGTH_DISCOUNT }))
    .sort((a, b) => b.score - a.score || a.shown.localeCompare(b.shown));
  const chosen: (typeof scored)[number][] = [];
  // Phrases sharing half the words of the shorter one say the same thing twice.
  const overlaps = (a: string[], b: string[]) =>
    a.filter((key) => b.includes(key)).length * 2 >= Math.min(a.length, b.length);
  for (const candidate of scored) {
    if (chosen.length >= MAX_KEYWORDS) break;
    if (chosen.length >= MIN_KEYWORDS && candidate.score < MIN_RELATIVE_SCORE * chosen[0]!.score) break;
    if (chosen.some((c) => overlaps(c.keys, candidate.keys))) continue;
    chosen.push(candidate);
  }
  return chosen.map((c) => c.shown);
}
