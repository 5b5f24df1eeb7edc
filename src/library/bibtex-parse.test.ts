import { describe, expect, it } from 'vitest';
import { parseBibtex } from './bibtex-parse.js';

describe('parseBibtex', () => {
  it('reads entries with braced, quoted, bare and concatenated values, keeping LaTeX', () => {
    const { entries, problems } = parseBibtex(`% a comment line
@string{conf = "NeurIPS"}
@Article{pang2022masked,
  title = {Masked {A}utoencoders for $\\mathbb{R}^3$ \\{point\\} clouds},
  Author = "Pang, Yatian and {Wang}, Wenxiao",
  year = 2022,
  booktitle = conf # " 2022",
  eprint={2203.06604}, archivePrefix={arXiv}
}
@misc( second, doi = {10.1000/XYZ} )`);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.line, e.type, e.key])).toEqual([
      [3, 'article', 'pang2022masked'],
      [10, 'misc', 'second'],
    ]);
    const fields = entries[0]!.fields;
    expect(fields.get('title')).toBe('Masked {A}utoencoders for $\\mathbb{R}^3$ \\{point\\} clouds');
    expect(fields.get('author')).toBe('Pang, Yatian and {Wang}, Wenxiao');
    expect(fields.get('year')).toBe('2022');
    expect(fields.get('booktitle')).toBe('conf 2022');
    expect(fields.get('archiveprefix')).toBe('arXiv');
    expect(entries[1]!.fields.get('doi')).toBe('10.1000/XYZ');
  });

  it('reports an unclosed entry by its line and reads the entries after it', () => {
    const { entries, problems } = parseBibtex(`@misc{good1, eprint={2101.00001}}
@misc{broken, title={Never {closed}, eprint={2101.00002},
  @misc{good2, eprint={2101.00003}}
@misc{, title={no key}}
@misc{nocomma title={x}}
@misc{badfield, = {x}}
@misc{good3, eprint="2101.00004"}
@misc{tail, title={runs off the end`);
    expect(entries.map((e) => e.key)).toEqual(['good1', 'good2', 'good3']);
    expect(problems).toEqual([
      { line: 2, message: 'the entry is not closed (unbalanced braces?)' },
      { line: 4, message: 'the entry has no citation key' },
      { line: 5, message: 'the entry has no citation key' },
      { line: 6, message: 'a field is malformed near “=”' },
      { line: 8, message: 'the entry is not closed (unbalanced braces?)' },
    ]);
  });

  it('reads a 5 MB hostile file in bounded time: deep nesting, stray @ and braces, one huge value', () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const part = [
        `@misc{ok${i}, title={Fine \\emph{$x_${i}$}}, eprint={2101.${String(i % 99999).padStart(5, '0')}}}\n`,
        `@misc{deep${i}, title={${'{'.repeat(2000)}}}\n`,
        `stray @ text } } {{ between entries\n`,
        `@misc{big${i}, abstract={${'a'.repeat(50_000)}}}\n`,
      ][i % 4]!;
      parts.push(part);
      size += part.length;
    }
    const started = performance.now();
    const { entries, problems } = parseBibtex(parts.join(''));
    const elapsed = performance.now() - started;
    expect(entries.filter((e) => e.key.startsWith('ok')).length).toBeGreaterThan(10);
    expect(entries.some((e) => e.key.startsWith('big'))).toBe(true);
    expect(problems.length).toBeGreaterThan(10);
    expect(problems.every((p) => p.message === 'the entry is not closed (unbalanced braces?)')).toBe(true);
    expect(elapsed).toBeLessThan(2_000);
  });
});
