import { describe, expect, it } from 'vitest';
import { MAX_SENTENCES, plainWords, splitSentences } from './sentences.js';

describe('splitSentences', () => {
  it('splits at full stops, question and exclamation marks before a capital, digit or bracket', () => {
    expect(
      splitSentences('We study graphs. It works!  Does it scale? 3 datasets (all public) agree. (Code is out.)'),
    ).toEqual(['We study graphs.', 'It works!', 'Does it scale?', '3 datasets (all public) agree.', '(Code is out.)']);
  });

  it('does not split after abbreviations, initials, decimals or inside math', () => {
    const text = 'Models, e.g. Transformers by J. Smith et al. Reach 0.5. Loss is $a. B$ here. Next one.';
    expect(splitSentences(text)).toEqual([
      'Models, e.g. Transformers by J. Smith et al. Reach 0.5.',
      'Loss is $a. B$ here.',
      'Next one.',
    ]);
  });

  it('keeps an unterminated last sentence, gives nothing for nothing, and stops at MAX_SENTENCES', () => {
    expect(splitSentences('First one. Second without a stop')).toEqual(['First one.', 'Second without a stop']);
    expect(splitSentences('Only this. ?! ...')).toEqual(['Only this. ?! ...']);
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('A b. '.repeat(100))).toHaveLength(MAX_SENTENCES);
  });
});

describe('plainWords', () => {
  it('takes out math, URLs and LaTeX commands', () => {
    const plain = plainWords('Speed $118\\times$ at https://x.org/a and github.com/acme/repo with \\textbf{bold}');
    expect(plain).not.toMatch(/118|x\.org|acme|textbf|[{}$]/);
    expect(plain).toMatch(/Speed .* at .* and .* with +bold/);
  });
});
