import { describe, expect, it } from 'vitest';
import { detectLinks, nameKey } from './paper-text.js';

describe('nameKey', () => {
  it('makes accent-free lower-case name keys', () => {
    expect(nameKey('Kurt  Gödel')).toBe('kurt godel');
  });
});

describe('detectLinks', () => {
  it('finds a GitHub repository and a project page', () => {
    const links = detectLinks(
      'Code is at https://github.com/Pang-Yatian/Point-MAE. Project page: https://point-mae.github.io/ (see also e.g. prior work).',
    );
    expect(links).toEqual({
      githubUrl: 'https://github.com/Pang-Yatian/Point-MAE',
      projectUrl: 'https://point-mae.github.io/',
    });
  });
  it('accepts bare github.com paths and ignores plain words', () => {
    expect(detectLinks('The source code is available at: github.com/mahdiabavisani/DSRC.')).toEqual({
      githubUrl: 'https://github.com/mahdiabavisani/DSRC',
      projectUrl: null,
    });
    expect(detectLinks('We use i.e. and e.g. often, and cite arxiv.org/abs/1234.5678.')).toEqual({
      githubUrl: null,
      projectUrl: null,
    });
  });
});
