import { describe, expect, it } from 'vitest';
import { paper as storedPaper } from '../../test/factories/papers.js';
import type { Paper } from '../store/papers.js';
import { markdownText, paperMarkdown } from './markdown.js';

/** The paper these tests describe, with any field overridden. */
function paper(overrides: Partial<Paper> = {}): Paper {
  return storedPaper({
    id: '2203.06604',
    title: 'Masked Autoencoders',
    abstract: 'We mask patches.',
    authors: [{ name: 'Kaiming He' }, { name: 'Xinlei Chen' }],
    categories: ['cs.CV'],
    primaryCategory: 'cs.CV',
    publishedOn: '2022-03-11',
    revisedOn: '2022-03-11',
    versions: [],
    upvotes: 3,
    numComments: 1,
    ...overrides,
  });
}

describe('markdownText', () => {
  it('escapes raw HTML and link syntax but leaves LaTeX alone', () => {
    expect(markdownText('<img src=x onerror=alert(1)> [a](javascript:x) $x_i^2$ \\emph{y}')).toBe(
      '\\<img src=x onerror=alert(1)\\> \\[a\\](javascript:x) $x_i^2$ \\emph{y}',
    );
  });

  it('keeps text on one line and stops it from starting a heading, quote or list', () => {
    expect(markdownText('# Title\nspanning lines')).toBe('\\# Title spanning lines');
    expect(markdownText('1. first')).toBe('1\\. first');
    expect(markdownText('- item')).toBe('\\- item');
  });
});

describe('paperMarkdown', () => {
  it('lays out title, authors, facts, links and the abstract paragraphs', () => {
    const text = paperMarkdown(
      paper({
        abstract: 'First paragraph\nwrapped.\n\nSecond paragraph.',
        githubUrl: 'https://github.com/fb/mae',
        featuredOn: '2022-03-14',
      }),
      'https://papers.example.org',
    );
    const blocks = [
      '# Masked Autoencoders',
      '**Authors:** Kaiming He, Xinlei Chen',
      '**Published:** 2022-03-11 · **Categories:** cs.CV · **Featured:** 2022-03-14 · **Upvotes:** 3 · **Comments:** 1',
      '**Links:** [arXiv](<https://arxiv.org/abs/2203.06604>) · [PDF](<https://arxiv.org/pdf/2203.06604>) · [Code](<https://github.com/fb/mae>) · [Discussion](<https://papers.example.org/papers/2203.06604>)',
      '## Abstract',
      'First paragraph wrapped.',
      'Second paragraph.',
    ];
    expect(text).toBe(`${blocks.join('\n\n')}\n`);
  });

  it('links a DOI and percent-encodes ids in URLs', () => {
    const text = paperMarkdown(
      paper({ id: 'doi:10.1000/a<b>(c)', authors: [], categories: [], publishedOn: null }),
      'https://x.org',
    );
    expect(text).toContain('[DOI](<https://doi.org/10.1000/a%3Cb%3E(c)>)');
    expect(text).toContain('[Discussion](<https://x.org/papers/doi%3A10.1000/a%3Cb%3E(c)>)');
    expect(text).toContain('**Authors:** unknown');
    expect(text).not.toContain('arxiv.org');
  });
});
