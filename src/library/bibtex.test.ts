import { describe, expect, it } from 'vitest';
import { paper } from '../../test/factories/papers.js';
import { bibtex, citationKey } from './bibtex.js';

describe('bibtex', () => {
  it('writes an arXiv entry the way arXiv does', () => {
    const entry = bibtex(
      paper({
        id: '2203.06604',
        title: 'Masked Autoencoders for Point Cloud Self-supervised Learning',
        authors: [{ name: 'Yatian Pang', affiliation: 'PKU' }, { name: 'Wenxiao Wang' }],
        primaryCategory: 'cs.CV',
        publishedOn: '2022-03-13',
      }),
    );
    expect(entry).toBe(
      [
        '@misc{pang2022masked,',
        '  title={Masked Autoencoders for Point Cloud Self-supervised Learning},',
        '  author={Yatian Pang and Wenxiao Wang},',
        '  year={2022},',
        '  eprint={2203.06604},',
        '  archivePrefix={arXiv},',
        '  primaryClass={cs.CV},',
        '  url={https://arxiv.org/abs/2203.06604},',
        '}',
      ].join('\n'),
    );
  });

  it('gives a DOI paper its DOI and no arXiv fields', () => {
    const entry = bibtex(
      paper({ id: 'doi:10.1101/2024.01.02.123456', publishedOn: '2024-01-02', journalRef: 'Nature 1 (2024)' }),
    );
    expect(entry).toContain('  doi={10.1101/2024.01.02.123456},');
    expect(entry).toContain('  journal={Nature 1 (2024)},');
    expect(entry).not.toContain('eprint');
  });

  it('keeps LaTeX but balances stray braces so the entry stays parseable', () => {
    const entry = bibtex(paper({ title: 'A {B}ayesian $O(n^{2})$ bound} with { stray', authors: [] }));
    expect(entry).toContain('  title={A {B}ayesian $O(n^{2})$ bound with  stray},');
    expect(entry).not.toContain('author=');
  });

  it('builds an ASCII citation key from surname, year and first significant word', () => {
    expect(
      citationKey(
        paper({ authors: [{ name: 'Kurt Gödel' }], publishedOn: '1931-01-01', title: 'On the $\\alpha$ Undecidable' }),
      ),
    ).toBe('godel1931undecidable');
    expect(citationKey(paper({ id: 'hep-th/9901001', authors: [], publishedOn: null, title: '' }))).toBe(
      'hepth9901001',
    );
  });
});
