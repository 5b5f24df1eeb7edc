import { describe, expect, it } from 'vitest';
import { plainTitle, titleCardSvg, wrapTitle } from './title-card.js';

describe('title cards', () => {
  it('reads LaTeX titles as plain words', () => {
    expect(plainTitle('Bounds for $O(n^2)$ with \\emph{random} \\alpha-masking')).toBe(
      'Bounds for O(n^2) with random -masking',
    );
  });

  it('wraps a title into at most five lines, ending a cut one with an ellipsis', () => {
    expect(wrapTitle('Masked Autoencoders for Point Cloud Self-supervised Learning')).toEqual([
      'Masked Autoencoders for',
      'Point Cloud Self-supervised',
      'Learning',
    ]);
    const long = wrapTitle('word '.repeat(60).trim());
    expect(long).toHaveLength(5);
    expect(long[4]!.endsWith('…')).toBe(true);
    expect(wrapTitle('x'.repeat(100))).toEqual([`${'x'.repeat(27)}…`]);
  });

  it('escapes every text, so a title cannot add markup or script to the image', () => {
    const svg = titleCardSvg({ id: '2501.00001', title: '</text><script>alert(1)</script>', primaryCategory: '"><x' });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('"><x');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(1)');
  });
});
