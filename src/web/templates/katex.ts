import { html, type SafeHtml } from '../../markup/html.js';

/** The KaTeX stylesheet, for the <head> of pages that show rendered math. */
export function katexHead(): SafeHtml {
  return html`<link rel="stylesheet" href="/static/katex/katex.min.css">`;
}
