import MarkdownIt, { type StateInline } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { mathBudget, renderMathBounded, type MathBudget } from '../markup/math.js';

/**
 * Comment Markdown: CommonMark without raw HTML, `$…$` and `$$…$$` math rendered by KaTeX, and
 * the result passed through sanitize-html with an allowlist, so that neither Markdown nor KaTeX
 * can smuggle in scripts, event handlers, javascript: links or remote images.
 *
 * Rendering never fails and its output is bounded: formulas go through the bounded KaTeX of
 * src/markup/math.ts (one budget per comment; what is outside it stays visible as code), and a
 * comment whose rendering throws or grows past MAX_COMMENT_HTML is shown as its escaped source.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** What one comment's formulas may add together: some dozens of formulas, in a fraction of a second. */
const COMMENT_MATH_BUDGET = { bytes: 48_000, milliseconds: 250 };
/** Rendered comments longer than this (a 10,000-character comment renders well below it) are shown as source. */
export const MAX_COMMENT_HTML = 128_000;

/** Inline rule: `$$tex$$` (display) or `$tex$` (inline); a `$` followed by a space or digit-after-space stays a dollar. */
function mathRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src[start] !== '$') return false;
  const display = src[start + 1] === '$';
  const open = display ? 2 : 1;
  const first = src[start + open];
  if (first === undefined || /\s/.test(first)) return false;
  let end = start + open;
  for (;;) {
    end = src.indexOf(display ? '$$' : '$', end);
    if (end === -1) return false;
    if (src[end - 1] === '\\') {
      end += 1;
      continue;
    }
    break;
  }
  const tex = src.slice(start + open, end);
  // "$5 and $6" is money, not math: inline math must not end in whitespace or be followed by a digit.
  if (!display && (/\s$/.test(tex) || /\d/.test(src[end + 1] ?? ''))) return false;
  if (!silent) {
    const token = state.push('math', 'math', 0);
    token.content = tex;
    token.markup = display ? '$$' : '$';
  }
  state.pos = end + open;
  return true;
}

markdown.inline.ruler.after('escape', 'math', mathRule);
markdown.renderer.rules.math = (tokens, index, _options, env) => {
  const { content, markup } = tokens[index]!;
  const { budget } = env as { budget: MathBudget }; // renderCommentMarkdown passes one budget per comment
  // trust: false keeps \href, \url and \includegraphics inert.
  const rendered = renderMathBounded(content, { displayMode: markup === '$$', output: 'htmlAndMathml' }, budget);
  return rendered ?? `<code>${markdown.utils.escapeHtml(markup + content + markup)}</code>`;
};

const MATHML_TAGS = [
  'math',
  'semantics',
  'annotation',
  'mrow',
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'mspace',
  'msup',
  'msub',
  'msubsup',
  'mfrac',
  'msqrt',
  'mroot',
  'mover',
  'munder',
  'munderover',
  'mtable',
  'mtr',
  'mtd',
  'mstyle',
  'mpadded',
  'mphantom',
  'menclose',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'em',
    'strong',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'span',
    'svg',
    'path',
    'line',
    ...MATHML_TAGS,
  ],
  allowedAttributes: {
    a: ['href', 'rel'],
    ol: ['start'],
    th: ['style'],
    td: ['style'],
    span: ['class', 'style', 'aria-hidden'],
    svg: ['xmlns', 'width', 'height', 'viewBox', 'preserveAspectRatio', 'style'],
    path: ['d'],
    line: ['x1', 'y1', 'x2', 'y2', 'stroke-width'],
    math: ['xmlns', 'display'],
    annotation: ['encoding'],
    mo: ['stretchy', 'fence', 'separator', 'lspace', 'rspace', 'minsize', 'maxsize', 'movablelimits'],
    mi: ['mathvariant'],
    mstyle: ['mathsize', 'scriptlevel', 'displaystyle'],
    mspace: ['width'],
    mpadded: ['width', 'height', 'depth', 'voffset', 'lspace'],
    mtable: ['rowspacing', 'columnspacing', 'columnalign', 'columnlines', 'rowlines'],
    menclose: ['notation'],
  },
  // KaTeX sizes its boxes with inline styles; allow only the geometric properties it uses.
  allowedStyles: {
    '*': {
      height: [/^-?[\d.]+em$/],
      'vertical-align': [/^-?[\d.]+em$/],
      'margin-left': [/^-?[\d.]+em$/],
      'margin-right': [/^-?[\d.]+em$/],
      top: [/^-?[\d.]+em$/],
      width: [/^-?[\d.]+em$/],
      'min-width': [/^-?[\d.]+em$/],
      'padding-left': [/^-?[\d.]+em$/],
      'border-bottom-width': [/^-?[\d.]+em$/],
      'text-align': [/^(left|right|center)$/],
    },
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  transformTags: {
    // Links from users are not endorsements and must not reach window.opener.
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener noreferrer' }),
    // No remote images (tracking pixels, hot-linking): an image becomes a plain link to it.
    img: (_tag, attribs) => ({
      tagName: 'a',
      attribs: { href: attribs.src ?? '', rel: 'nofollow ugc noopener noreferrer' },
      text: attribs.alt || attribs.src || 'image',
    }),
  },
  disallowedTagsMode: 'discard',
};

function sourceAsCode(source: string): string {
  return `<pre><code>${markdown.utils.escapeHtml(source)}</code></pre>\n`;
}

/**
 * Renders a comment's Markdown to sanitised HTML, safe to embed as is. Comments are rendered when
 * written and the HTML is stored, so pages only read it.
 */
export function renderCommentMarkdown(source: string): string {
  try {
    const html = sanitizeHtml(markdown.render(source, { budget: mathBudget(COMMENT_MATH_BUDGET) }), SANITIZE);
    return html.length <= MAX_COMMENT_HTML ? html : sourceAsCode(source);
  } catch {
    return sourceAsCode(source);
  }
}
