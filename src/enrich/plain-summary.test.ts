import { describe, expect, it } from 'vitest';
import { plainSummary } from './plain-summary.js';
import { MAX_SUMMARY_LENGTH } from './summary.js';

describe('plainSummary', () => {
  it('keeps a plain sentence as it is, math included', () => {
    expect(plainSummary('We route attention sparsely in $O(n \\log n)$ time.')).toBe(
      'We route attention sparsely in $O(n \\log n)$ time.',
    );
  });

  it('strips HTML, with script and style content, and entities that would make tags', () => {
    expect(plainSummary('<p>We <b>route</b> attention<script>alert(1)</script> sparsely.</p>')).toBe(
      'We route attention sparsely.',
    );
    expect(plainSummary('We route &lt;script&gt;alert(1)&lt;/script&gt; attention &amp; memory.')).toBe(
      'We route attention & memory.',
    );
    // A tag never closed takes the rest of the answer with it.
    expect(plainSummary('We route attention sparsely over heads <img src=x onerror=alert(1) sparsely.')).toBe(
      'We route attention sparsely over heads',
    );
  });

  it('strips Markdown: links keep their text, emphasis, code, headings and list marks go', () => {
    expect(
      plainSummary(
        '## Summary\n- **We route** _attention_ with `sparse` [heads](javascript:alert(1)) ![x](http://a/b.png).',
      ),
    ).toBe('Summary We route _attention_ with sparse heads x.');
    expect(plainSummary('Summary: We route attention sparsely, see https://evil.example/x.')).toBe(
      'We route attention sparsely, see',
    );
  });

  it('drops a reasoning block, quotes and control characters, and joins lines', () => {
    expect(plainSummary('<think>the user wants…</think>\n"We route\nattention\u202e sparsely."')).toBe(
      'We route attention sparsely.',
    );
  });

  it('cuts a long answer at a word, and refuses answers with nothing left', () => {
    const long = plainSummary(`We route ${'attention '.repeat(100)}sparsely.`)!;
    expect(long.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH + 1);
    expect(long.endsWith('…')).toBe(true);
    for (const empty of ['', '   ', '<script>alert("a long script body here")</script>', '**ok**', 'x'.repeat(10)])
      expect(plainSummary(empty), empty).toBeNull();
  });
});
