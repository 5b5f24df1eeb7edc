import { describe, expect, it } from 'vitest';
import { html, trusted } from './html.js';

describe('html', () => {
  it('escapes interpolated text, including attribute quotes', () => {
    const title = '<script>alert("x")</script> & $x<y$';
    expect(html`<h1 title="${title}">${title}</h1>`.value).toBe(
      '<h1 title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; $x&lt;y$">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; $x&lt;y$</h1>',
    );
  });

  it('nests templates and lists without double escaping, and drops null/false', () => {
    const items = ['a&b', 'c'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}${null}${false}${trusted('<hr>')}</ul>`.value).toBe(
      '<ul><li>a&amp;b</li><li>c</li><hr></ul>',
    );
  });
});
