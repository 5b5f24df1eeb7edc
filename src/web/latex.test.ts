import { describe, expect, it } from 'vitest';
import { renderTex, renderTexCached } from './latex.js';
import { escapeHtml, trusted } from '../markup/html.js';

const render = (text: string) => renderTex(text).html.value;

/** The markup with each rendered formula (its wrapper span and everything inside) replaced by [math]. */
function outsideMath(markup: string): string {
  let result = '';
  let i = 0;
  while (i < markup.length) {
    const start = markup.indexOf('<span class="math', i);
    if (start < 0) break;
    result += markup.slice(i, start);
    const tags = /<span\b|<\/span>/g;
    tags.lastIndex = start;
    let depth = 0;
    for (let tag = tags.exec(markup); tag; tag = tags.exec(markup)) {
      depth += tag[0] === '</span>' ? -1 : 1;
      if (depth === 0) {
        i = tags.lastIndex;
        break;
      }
    }
    result += '[math]';
  }
  return result + markup.slice(i);
}

describe('renderTex', () => {
  it('escapes plain text, including markup-like characters', () => {
    expect(render('Fish & Chips <b>bold</b> "quoted"')).toBe(
      'Fish &amp; Chips &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;',
    );
    expect(renderTex('no math here').hasMath).toBe(false);
  });

  it('never lets a script tag through, outside or inside math', () => {
    for (const text of [
      '<script>alert(1)</script>',
      '$<script>alert(1)</script>$',
      '\\(</span><script>alert(1)</script>\\)',
      '\\emph{<script>alert(1)</script>}',
    ]) {
      const markup = render(text);
      expect(markup).not.toMatch(/<script/i);
      expect(markup).not.toMatch(/<\/span><script/i);
    }
  });

  it('renders $…$ and \\(…\\) math with KaTeX and escapes the text around it', () => {
    const result = renderTex('Bounds for $x^2$ & \\(\\alpha < 1\\) <here>');
    expect(result.hasMath).toBe(true);
    expect(result.html.value.match(/class="katex"/g)).toHaveLength(2);
    expect(outsideMath(result.html.value)).toBe('Bounds for [math] &amp; [math] &lt;here&gt;');
    expect(result.html.value).toContain('<span class="msupsub">');
    expect(result.html.value).toContain('aria-label="\\alpha &lt; 1"');
  });

  it('renders $x<y$ without producing a tag from the comparison', () => {
    const markup = render('$x<y$');
    expect(markup).toContain('class="katex"');
    expect(markup).toContain('<span class="mrel">&lt;</span>');
    expect(markup).not.toContain('<y');
  });

  it('renders display math from $$…$$ and \\[…\\]', () => {
    expect(render('$$E=mc^2$$')).toContain('katex-display');
    expect(render('\\[\\sum_i x_i\\]')).toContain('katex-display');
  });

  it('leaves an unbalanced or price-like $ as text', () => {
    expect(render('costs $5 and $10 today')).toBe('costs $5 and $10 today');
    expect(render('only one $x here')).toBe('only one $x here');
    expect(render('trailing $')).toBe('trailing $');
    expect(render('$$ never closed')).toBe('$$ never closed');
    expect(render('\\( never closed')).toBe('( never closed');
    expect(renderTex('costs $5 and $10').hasMath).toBe(false);
  });

  it('shows math KaTeX cannot parse as escaped text without its backslashes, never as a red error', () => {
    const markup = render('$\\frac{<b>$');
    expect(markup).toBe('$frac{&lt;b&gt;$');
    // A paper's own macro spoils its formula, whose known commands still render; a `$` inside `\\textbf` too.
    const own = renderTex('of $x{\\bW_q}^{\\top}$ here');
    expect(outsideMath(own.html.value)).toBe('of $x{bW_q}^{[math]}$ here');
    const nested = renderTex('we introduce $\\textbf{Triply Policy}~(\\textbf{H$^{\\mathbf{3}}$DP})');
    expect(outsideMath(nested.html.value)).toBe(
      'we introduce $<strong>Triply Policy</strong>~(<strong>H[math]DP</strong>)',
    );
    expect(nested.html.value).not.toContain('katex-error');
  });

  it('renders math commands written outside $…$, with their arguments and scripts', () => {
    const times = renderTex('a 118\\times speedup at \\$1,890 and O(n\\log n) with \\alpha_1 \\sim \\sqrt{2}');
    expect(times.hasMath).toBe(true);
    expect(outsideMath(times.html.value)).toBe(
      'a 118[math] speedup at $1,890 and O(n[math] n) with [math] [math] [math]',
    );
    expect(times.html.value).toContain('aria-label="\\alpha_1"');
    expect(times.html.value).toContain('aria-label="\\sqrt{2}"');
    expect(times.html.value).toContain('×');
  });

  it('raises a caret written outside $…$ after a word, as titles do ("IA-RED^2")', () => {
    expect(render('IA-RED^2: Interpretability')).toBe('IA-RED<sup>2</sup>: Interpretability');
    expect(render('FA^{3}-CLIP and RAPID^10')).toBe('FA<sup>3</sup>-CLIP and RAPID<sup>10</sup>');
    expect(render('S^{<b>}x')).toBe('S<sup>&lt;b&gt;</sup>x');
    // Not after a space, not before other characters, not inside math (KaTeX raises those itself).
    expect(render('a ^2 b^c d^ e^{}')).toBe('a ^2 b^c d^ e^{}');
    expect(render('x^{unclosed')).toBe('x^{unclosed');
    expect(renderTex('IA-RED$^2$').html.value).not.toContain('<sup>');
  });

  it('renders text macros as HTML with escaped content', () => {
    expect(render('\\emph{Deep} \\textbf{x & y} \\texttt{a<b} \\textit{it}')).toBe(
      '<em>Deep</em> <strong>x &amp; y</strong> <code>a&lt;b</code> <em>it</em>',
    );
    expect(render('{\\em old style} and {\\bf bold}')).toBe('<em>old style</em> and <strong>bold</strong>');
    expect(render('\\textbf{\\emph{nested}}')).toBe('<strong><em>nested</em></strong>');
  });

  it('renders math inside a text macro', () => {
    const result = renderTex('\\textbf{$O(n)$ time}');
    expect(result.hasMath).toBe(true);
    expect(result.html.value.startsWith('<strong><span class="math"')).toBe(true);
  });

  it('turns escaped characters and accents into text', () => {
    expect(render('46.7\\% of \\$5 \\& more')).toBe('46.7% of $5 &amp; more');
    expect(render("Fr\\'echet, B\\'{e}zier, Schr\\\"odinger")).toBe('Fréchet, Bézier, Schrödinger');
  });

  it('shows unknown macros as their argument or name, and no backslash', () => {
    expect(render('see \\cite{smith} and \\foo')).toBe('see smith and foo');
    expect(render('\\emph{never closed')).toBe('{never closed');
    expect(render('a \\ b, c\\,d \\\\ e')).toBe('a  b, c d   e');
    expect(render('trailing \\')).toBe('trailing ');
  });

  it('links \\href, \\url and bare URLs only to http(s) addresses, and only where links are allowed', () => {
    const links = { links: true };
    expect(renderTex('\\href{https://github.com/a/b}{code & data}', links).html.value).toBe(
      '<a href="https://github.com/a/b" rel="nofollow noopener ugc">code &amp; data</a>',
    );
    expect(renderTex('\\url{http://example.org/x}', links).html.value).toBe(
      '<a href="http://example.org/x" rel="nofollow noopener ugc">http://example.org/x</a>',
    );
    expect(renderTex('Code: https://github.com/a/b. Demo (https://x.org/?a=1&b=2).', links).html.value).toBe(
      'Code: <a href="https://github.com/a/b" rel="nofollow noopener ugc">https://github.com/a/b</a>. ' +
        'Demo (<a href="https://x.org/?a=1&amp;b=2" rel="nofollow noopener ugc">https://x.org/?a=1&amp;b=2</a>).',
    );
    for (const text of [
      '\\href{javascript:alert(1)}{click}',
      '\\href{ javascript:alert(1)}{click}',
      '\\url{javascript:alert(1)}',
      '\\href{https://x.org/"onmouseover="alert(1)}{click}',
      'javascript:alert(1)',
      'https://x.org/"onmouseover="alert(1)',
    ]) {
      const markup = renderTex(text, links).html.value;
      expect(markup).not.toMatch(/href="javascript|onmouseover="alert/i);
      expect(markup).not.toContain('"onmouseover');
    }
    expect(renderTex('\\href{javascript:alert(1)}{click}', links).html.value).toBe('click');
    // Titles are links themselves: no anchors inside them.
    expect(render('\\href{https://github.com/a/b}{Code} at https://x.org')).toBe('Code at https://x.org');
  });

  it('never links from inside math, where \\href is not trusted', () => {
    const markup = render('$\\href{javascript:alert(1)}{x}$ $\\url{https://x.org}$ $\\htmlClass{evil}{x}$');
    expect(markup).not.toMatch(/<a /);
    expect(markup).not.toContain('class="evil"');
    expect(markup).not.toContain('href=');
  });

  it('survives hostile sizes: deep nesting and very long input', () => {
    const deep = `${'\\emph{'.repeat(50)}x${'}'.repeat(50)}`;
    expect(render(deep)).toContain('x');
    const long = '$x$ '.repeat(5000);
    expect(renderTex(long).hasMath).toBe(false);
    expect(render(long)).toBe(long);
    const manyOpen = '\\emph{'.repeat(1500);
    expect(render(manyOpen)).toBe('{'.repeat(1500));
  });

  it('caches by text and returns the same rendering', () => {
    const text = 'Cached $x_1$ title, https://x.org';
    const first = renderTexCached(text);
    expect(renderTexCached(text)).toBe(first);
    expect(first.html.value).toBe(renderTex(text).html.value);
    expect(renderTexCached(text, { links: true }).html.value).toContain('<a href="https://x.org"');
  });
});

describe('renderTex plainText', () => {
  it('hands only the text runs to the renderer, never math or macro output', () => {
    const seen: string[] = [];
    const rendered = renderTex('Sparse $x^2$ \\emph{attention} <b>', {
      plainText: (plain) => {
        seen.push(plain);
        return trusted(`[${escapeHtml(plain)}]`);
      },
    });
    expect(seen).toEqual(['Sparse ', ' ', 'attention', ' <b>']);
    expect(rendered.html.value).toContain('[Sparse ]<span class="math"');
    expect(rendered.html.value).toContain('<em>[attention]</em>[ &lt;b&gt;]');
  });
});
