import { describe, expect, it } from 'vitest';
import { preferredType } from './accept.js';

const offered = ['text/html', 'text/markdown'] as const;

describe('preferredType', () => {
  it('gives browsers and a missing header the first type', () => {
    expect(preferredType('text/html,application/xhtml+xml,*/*;q=0.8', offered)).toBe('text/html');
    expect(preferredType(undefined, offered)).toBe('text/html');
    expect(preferredType('*/*', offered)).toBe('text/html');
  });

  it('gives Markdown to whoever asks for it, exactly or by a higher q', () => {
    expect(preferredType('text/markdown', offered)).toBe('text/markdown');
    expect(preferredType('text/markdown, */*;q=0.1', offered)).toBe('text/markdown');
    expect(preferredType('text/html;q=0.5, text/markdown;q=0.9', offered)).toBe('text/markdown');
    expect(preferredType('text/*, text/markdown', offered)).toBe('text/markdown');
  });

  it('says when nothing offered is acceptable (a q it cannot read counts as 0)', () => {
    expect(preferredType('application/json', offered)).toBeNull();
    expect(preferredType('text/markdown;q=0, text/html;q=0', offered)).toBeNull();
    expect(preferredType('text/markdown;q=abc', offered)).toBeNull();
    expect(preferredType(`${'x/y;'.repeat(5000)}`, offered)).toBeNull();
  });
});
