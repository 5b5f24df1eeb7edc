import { describe, expect, it } from 'vitest';
import { highlight, snippet } from './highlight.js';

describe('highlight', () => {
  it('marks matched words and their stem variants, case-insensitively', () => {
    expect(highlight('Learned Attentional GANs learn to attend', ['learning', 'attention', 'gan']).value).toBe(
      '<mark>Learned</mark> <mark>Attentional</mark> <mark>GANs</mark> <mark>learn</mark> to attend',
    );
  });

  it('escapes the text first, so markup in titles stays text and terms cannot inject tags', () => {
    expect(highlight('<script>alert("attention")</script> & $O(n^2)$', ['attention', 'script']).value).toBe(
      '&lt;<mark>script</mark>&gt;alert(&quot;<mark>attention</mark>&quot;)&lt;/<mark>script</mark>&gt; &amp; $O(n^2)$',
    );
    expect(highlight('a <b> c', ['<b>']).value).toBe('a &lt;b&gt; c');
  });

  it('leaves short words that only share a beginning alone', () => {
    expect(highlight('Game theory of gangs', ['gan']).value).toBe('Game theory of <mark>gangs</mark>');
    expect(highlight('no terms', []).value).toBe('no terms');
  });
});

describe('snippet', () => {
  const abstract = `${'Background words here. '.repeat(20)}We propose linear attention for long documents. ${'Trailing words here. '.repeat(20)}`;

  it('keeps short text whole', () => {
    expect(snippet('Short abstract.', ['attention'])).toBe('Short abstract.');
  });

  it('shows the part around the first match, with ellipses where it was cut', () => {
    const text = snippet(abstract, ['attention'], 200);
    expect(text).toContain('linear attention');
    expect(text.startsWith('… ')).toBe(true);
    expect(text.endsWith(' …')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(210);
  });

  it('never cuts a $…$ formula in two', () => {
    const text = snippet(
      `${'Lead words here. '.repeat(6)}$a + b + c + d$ then attention ${'tail '.repeat(40)}`,
      ['attention'],
      60,
    );
    expect(text).toContain('$a + b + c + d$ then attention');
    const end = snippet(`We propose attention with $x_1 + x_2 + x_3 + x_4$ ${'tail '.repeat(40)}`, ['attention'], 40);
    expect(end).toContain('$x_1 + x_2 + x_3 + x_4$');
  });

  it('starts at the beginning when nothing matches', () => {
    expect(snippet(abstract, ['zebra'], 100).startsWith('Background')).toBe(true);
  });
});
