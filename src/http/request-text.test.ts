import { describe, expect, it } from 'vitest';
import { findTextProblem, textProblem } from './request-text.js';

describe('textProblem', () => {
  it('lets ordinary text of every script through, and line breaks only where text spans lines', () => {
    expect(textProblem('Attention Is All You Need — 注意力 ∑ café', false)).toBeNull();
    expect(textProblem('line one\r\n\tline two', true)).toBeNull();
    expect(textProblem('line one\nline two', false)).toMatch(/U\+000A/);
  });

  it('refuses NUL, other C0 and C1 controls, DEL, lone surrogates and replaced invalid bytes', () => {
    for (const [text, reason] of [
      ['a\u0000b', /U\+0000/],
      ['\u0007', /U\+0007/],
      ['\u001b[31m', /U\+001B/],
      ['\u007f', /U\+007F/],
      ['\u0085', /U\+0085/],
      ['half \ud800', /UTF-8/],
      ['\udc00 low', /UTF-8/],
      ['\ufffd', /UTF-8/],
    ] as const) {
      expect(textProblem(text, true), JSON.stringify(text)).toMatch(reason);
    }
    expect(textProblem('a pair 😀 \ud83d\ude00', false)).toBeNull();
  });
});

describe('findTextProblem', () => {
  it('names the field, however deep, and checks keys too', () => {
    expect(findTextProblem({ q: 'fine', author: 'a\u0000' })).toBe(
      'author: must not contain control characters (found U+0000)',
    );
    expect(findTextProblem({ topics: ['one\ntwo', 'three\u0000'] })).toMatch(/^topics\.1: must not/);
    expect(findTextProblem({ 'k\u0001': 1 })).toBe(
      'field name "k\\u0001": must not contain control characters (found U+0001)',
    );
    expect(findTextProblem({ body: 'multi\nline', n: 3, ok: true, none: null })).toBeNull();
  });

  it('walks 10,000 levels of nesting without running out of stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 10_000; i++) deep = { a: [deep] };
    expect(findTextProblem(deep)).toMatch(/^a\.0\.a\.0.*…: must not contain control characters/);
  });
});
