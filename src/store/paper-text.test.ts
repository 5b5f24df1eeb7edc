import { describe, expect, it } from 'vitest';
import { codeLinkOf, detectLinks, MAX_CODE_LINKS, nameKey, paperLinks } from './paper-text.js';

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
      codeLinks: [],
    });
  });
  it('accepts bare github.com paths and ignores plain words', () => {
    expect(detectLinks('The source code is available at: github.com/mahdiabavisani/DSRC.')).toEqual({
      githubUrl: 'https://github.com/mahdiabavisani/DSRC',
      projectUrl: null,
      codeLinks: [],
    });
    expect(detectLinks('We use i.e. and e.g. often, and cite arxiv.org/abs/1234.5678.')).toEqual({
      githubUrl: null,
      projectUrl: null,
      codeLinks: [],
    });
  });
});

describe('GitLab and Hugging Face links', () => {
  it('finds GitLab projects and Hugging Face models, datasets and spaces in abstracts and comments, not as project pages', () => {
    const links = paperLinks(
      'Code: https://gitlab.com/inria/team/sparse-attn.git and gitlab.com/acme/tool/-/tree/main. ' +
        'Weights at https://huggingface.co/acme/sparse-7b, data at huggingface.co/datasets/acme/longdocs.',
      'Demo: https://huggingface.co/spaces/acme/demo (also https://huggingface.co/acme/sparse-7b). Site: https://acme.org/sparse',
    );
    expect(links.codeLinks).toEqual([
      { kind: 'gitlab', url: 'https://gitlab.com/inria/team/sparse-attn' },
      { kind: 'gitlab', url: 'https://gitlab.com/acme/tool' },
      { kind: 'hf-model', url: 'https://huggingface.co/acme/sparse-7b' },
      { kind: 'hf-dataset', url: 'https://huggingface.co/datasets/acme/longdocs' },
    ]);
    expect(links.codeLinks).toHaveLength(MAX_CODE_LINKS);
    expect(links.projectUrl).toBe('https://acme.org/sparse');
    expect(codeLinkOf('huggingface.co/spaces/acme/demo')).toEqual({
      kind: 'hf-space',
      url: 'https://huggingface.co/spaces/acme/demo',
    });
  });

  it('refuses what is not a project, model, dataset or space there', () => {
    for (const link of [
      'javascript:alert(1)//gitlab.com/a/b',
      'https://gitlab.com.evil.example/a/b',
      'https://evil.example/gitlab.com/a/b',
      'https://gitlab.com/alone',
      'https://gitlab.com/../../etc',
      'https://gitlab.com/a/b/c/d/e',
      `https://gitlab.com/a/${'x'.repeat(101)}`,
      'https://gitlab.com/a/b"onmouseover="x',
      'https://huggingface.co/papers/2501.00001',
      'https://huggingface.co/docs/transformers',
      'https://huggingface.co/acme',
      'https://huggingface.co/datasets/acme',
      'https://huggingface.co/acme/..',
      'https://huggingface.co/acme/<script>',
    ])
      expect(codeLinkOf(link), link).toBeNull();
  });
});
