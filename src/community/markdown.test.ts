import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_HTML, renderCommentMarkdown } from './markdown.js';

describe('renderCommentMarkdown', () => {
  it('renders inline and display math with KaTeX', () => {
    const html = renderCommentMarkdown('Energy $E=mc^2$ and\n\n$$\\int_0^1 x\\,dx$$');
    expect(html).toContain('<annotation encoding="application/x-tex">E=mc^2</annotation>');
    expect(html).toMatch(
      /<span class="katex-display"><span class="katex"><span class="katex-mathml"><math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block">/,
    );
    expect(html).toContain('style="height:');
  });

  it('leaves prices alone', () => {
    expect(renderCommentMarkdown('It costs $5 and $6 a month.')).toBe('<p>It costs $5 and $6 a month.</p>\n');
    expect(renderCommentMarkdown('Escaped \\$x$ stays text')).not.toContain('katex');
  });

  it('shows malformed TeX as an error span instead of failing', () => {
    const html = renderCommentMarkdown('$\\frac{1}{$');
    expect(html).toContain('katex-error');
  });

  it('keeps KaTeX inline styles to lengths only', () => {
    const html = renderCommentMarkdown('$\\color{red}{x}\\rule{1em}{1em}$ and $\\htmlStyle{background:url(x)}{y}$');
    expect(html).not.toMatch(/style="[^"]*(url|background|color)/);
    expect(html).toContain('style="height:');
  });

  it('turns images into links and escapes raw HTML', () => {
    expect(renderCommentMarkdown('![pic](https://example.org/p.png)')).toBe(
      '<p><a href="https://example.org/p.png" rel="nofollow ugc noopener noreferrer">pic</a></p>\n',
    );
    const iframe = renderCommentMarkdown('<iframe src="https://example.org">');
    expect(iframe).toMatch(/^<p>&lt;iframe src="/);
    expect(iframe).not.toContain('<iframe');
  });
});

describe('renderCommentMarkdown bounds', () => {
  it('shows a formula nested too deep as code, and the rest of the comment as usual', () => {
    const deep = `$${'{'.repeat(2400)}x${'}'.repeat(2400)}$`;
    const html = renderCommentMarkdown(`**Look** ${deep} and $y$`);
    expect(html).toContain(`<code>${deep}</code>`);
    expect(html).toContain('<strong>Look</strong>');
    expect(html).toContain('<annotation encoding="application/x-tex">y</annotation>');
  });

  it('renders formulas up to a budget and shows the rest as code', () => {
    const html = renderCommentMarkdown('$\\frac{a}{b}$ '.repeat(470));
    expect(html.length).toBeLessThan(MAX_COMMENT_HTML);
    expect(html).toContain('class="katex"');
    expect(html).toContain('<code>$\\frac{a}{b}$</code>');
  });
});
