import { LRUCache } from 'lru-cache';
import { mathBudget, renderMathBounded, type MathBudget } from '../markup/math.js';
import { escapeHtml, trusted, type SafeHtml } from '../markup/html.js';

/**
 * Renders the LaTeX found in paper titles and abstracts as safe HTML: math (`$…$`, `$$…$$`,
 * `\(…\)`, `\[…\]`) through KaTeX, a few text-mode macros (`\emph`, `\textbf`, `\href`…) as
 * their HTML equivalents, and everything else as escaped text. No markup from the input ever
 * reaches the output: text is escaped, KaTeX runs with `trust: false`, and links are http(s) only.
 * Rendering never fails: formulas outside the bounds of src/markup/math.ts (a hostile title from
 * an import, say) are shown as their source text.
 */
export interface RenderedText {
  html: SafeHtml;
  /** Whether KaTeX output is present, so the page must load the KaTeX stylesheet. */
  hasMath: boolean;
}

// Unicode or text in math mode is common in abstracts; KaTeX's default strict mode prints warnings for it.
const KATEX_OPTIONS = { output: 'html', strict: false } as const;

/** What the formulas of one title or abstract may add together. */
const TEXT_MATH_BUDGET = { bytes: 64_000, milliseconds: 100 };
/** Longer text (no real title or abstract; arXiv caps abstracts at 1,920 characters) is shown escaped, unrendered. */
const MAX_TEXT_LENGTH = 10_000;
/** Nesting depth of text macros (`\emph{\textbf{…}}`) rendered before the rest is shown as text. */
const MAX_DEPTH = 8;

const ESCAPED_CHARACTERS = new Set(['%', '&', '$', '#', '_', '{', '}']);

const TEXT_MACROS: Record<string, (inner: string) => string> = {
  emph: (inner) => `<em>${inner}</em>`,
  textit: (inner) => `<em>${inner}</em>`,
  textsl: (inner) => `<em>${inner}</em>`,
  textbf: (inner) => `<strong>${inner}</strong>`,
  texttt: (inner) => `<code>${inner}</code>`,
  underline: (inner) => `<u>${inner}</u>`,
  textsc: (inner) => `<span class="smallcaps">${inner}</span>`,
  text: (inner) => inner,
  textrm: (inner) => inner,
  textsf: (inner) => inner,
  textnormal: (inner) => inner,
  mbox: (inner) => inner,
};

/** Old-style declarations used as `{\em text}`. */
const GROUP_DECLARATIONS: Record<string, string> = {
  em: 'emph',
  it: 'textit',
  sl: 'textsl',
  bf: 'textbf',
  tt: 'texttt',
  sc: 'textsc',
};

/** Accent commands and the Unicode combining mark each adds (`\"o` → ö). */
const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
};

const SAFE_URL = /^https?:\/\/[^\s"'<>\\]+$/i;

export interface RenderOptions {
  /**
   * Whether the text may contain links: `\href`/`\url` to http(s) addresses and bare http(s)
   * URLs become anchors. Off for titles, which sit inside a link of their own.
   */
  links?: boolean;
  /** Renders the plain-text runs (never math or macro markup) as safe HTML instead of escaping them: search marks its matches so. */
  plainText?: (plain: string) => SafeHtml;
}

interface Output {
  parts: string[];
  hasMath: boolean;
  links: boolean;
  plainText?: ((plain: string) => SafeHtml) | undefined;
  budget: MathBudget;
}

/** Index of the `}` closing the group whose `{` is at `open`, or -1; `\{` and `\}` do not count. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** A `{…}` argument starting exactly at `at`, or null when there is none or it never closes. */
function braceArgument(text: string, at: number): { value: string; end: number } | null {
  if (text[at] !== '{') return null;
  const close = closingBrace(text, at);
  return close < 0 ? null : { value: text.slice(at + 1, close), end: close + 1 };
}

/**
 * Adds the formula to `out`, or returns false when it is not rendered (the caller keeps it as text). A
 * formula KaTeX cannot parse (a paper's own macros, `\bW`; a `$` inside `\textbf{…}`) is not shown as a
 * red error: the caller reads on past its `$`, so its text and known commands still render.
 */
function renderMath(tex: string, displayMode: boolean, out: Output): boolean {
  const markup = renderMathBounded(tex, { ...KATEX_OPTIONS, displayMode, throwOnError: true }, out.budget);
  if (markup === null) return false;
  const label = escapeHtml(tex);
  out.parts.push(
    `<span class="math${displayMode ? ' math-display' : ''}" role="img" aria-label="${label}">${markup}</span>`,
  );
  out.hasMath = true;
  return true;
}

/**
 * Where the `$…$` formula opened at `open` closes, following Pandoc's rule so that prices
 * ("costs $5 and $10") stay text: the opening `$` is followed by a non-space, the closing one
 * preceded by a non-space and not followed by a digit.
 */
function closingDollar(text: string, open: number): number {
  if (open + 1 >= text.length || /\s/.test(text[open + 1]!)) return -1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$') {
      if (i > open + 1 && !/\s/.test(text[i - 1]!) && !/\d/.test(text[i + 1] ?? '')) return i;
      return -1;
    }
  }
  return -1;
}

/** Renders `text` into `out`, returning nothing; `depth` bounds macro nesting. */
function renderInto(text: string, out: Output, depth: number): void {
  let plain = '';
  const flush = () => {
    if (plain)
      out.parts.push(out.links ? linkify(plain) : out.plainText ? out.plainText(plain).value : escapeHtml(plain));
    plain = '';
  };
  const nested = (inner: string): string => {
    const sub: Output = { ...out, parts: [], hasMath: false };
    renderInto(inner, sub, depth + 1);
    out.hasMath ||= sub.hasMath;
    return sub.parts.join('');
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '$') {
      if (text[i + 1] === '$') {
        const close = text.indexOf('$$', i + 2);
        const tex = close < 0 ? '' : text.slice(i + 2, close);
        if (tex.trim()) {
          flush();
          if (renderMath(tex, true, out)) {
            i = close + 2;
            continue;
          }
        }
        plain += '$$';
        i += 2;
        continue;
      }
      const close = closingDollar(text, i);
      if (close > 0) {
        flush();
        if (renderMath(text.slice(i + 1, close), false, out)) {
          i = close + 1;
          continue;
        }
      }
      plain += c;
      i++;
      continue;
    }
    if (c === '{' && depth < MAX_DEPTH) {
      const declaration = /^\{\\(em|it|sl|bf|tt|sc)(?![a-zA-Z])\s*/.exec(text.slice(i, i + 8));
      const group = declaration ? braceArgument(text, i) : null;
      if (declaration && group) {
        flush();
        out.parts.push(
          TEXT_MACROS[GROUP_DECLARATIONS[declaration[1]!]!]!(
            nested(text.slice(i + declaration[0].length, group.end - 1)),
          ),
        );
        i = group.end;
        continue;
      }
    }
    if (c === '^') {
      const power = rawSuperscriptAt(text, i);
      if (power) {
        flush();
        out.parts.push(`<sup>${nested(power.value)}</sup>`);
        i = power.end;
        continue;
      }
    }
    if (c !== '\\') {
      plain += c;
      i++;
      continue;
    }

    const next = text[i + 1] ?? '';
    if (ESCAPED_CHARACTERS.has(next)) {
      plain += next;
      i += 2;
      continue;
    }
    if (next === '(' || next === '[') {
      const close = text.indexOf(next === '(' ? '\\)' : '\\]', i + 2);
      const tex = close < 0 ? '' : text.slice(i + 2, close);
      if (tex.trim()) {
        flush();
        if (renderMath(tex, next === '[', out)) {
          i = close + 2;
          continue;
        }
      }
    }
    const accent = renderAccent(text, i);
    if (accent) {
      plain += accent.text;
      i = accent.end;
      continue;
    }
    const name = /^[a-zA-Z]+/.exec(text.slice(i + 1, i + 40))?.[0];
    const argument = name ? braceArgument(text, i + 1 + name.length) : null;
    if (name && argument && depth < MAX_DEPTH) {
      const macro = TEXT_MACROS[name];
      if (macro) {
        flush();
        out.parts.push(macro(nested(argument.value)));
        i = argument.end;
        continue;
      }
      const link = renderLink(name, argument, text, nested, out.links);
      if (link) {
        flush();
        out.parts.push(link.html);
        i = link.end;
        continue;
      }
    }
    const command = name ? mathCommandAt(text, i, name) : null;
    if (command) {
      flush();
      if (renderMath(command.tex, false, out)) {
        i = command.end;
        continue;
      }
    }
    if (name && argument && depth < MAX_DEPTH) {
      // A command outside math that we do not know (`\cite{…}`, `\footnote{…}`): its argument is the text.
      flush();
      out.parts.push(nested(argument.value));
      i = argument.end;
      continue;
    }
    // Spacing commands (`\,`, `\ `, `\\`) become a space, other symbols lose their backslash, a text
    // macro without its argument goes, and any other word loses only its backslash.
    if (!name) plain += /[,;:! \\~]/.test(next) ? ' ' : next;
    i += !name ? 2 : TEXT_MACROS[name] ? 1 + name.length : 1;
  }
  flush();
}

/**
 * A caret written outside `$…$` right after a word, as titles do ("CA^2ST", "FA^{3}-CLIP"): the digits or
 * the short `{…}` group it raises. A caret after a space, or before anything else, stays text.
 */
function rawSuperscriptAt(text: string, at: number): { value: string; end: number } | null {
  if (at === 0 || /\s/.test(text[at - 1]!)) return null;
  const power = /^\^(?:(\d{1,3})|\{([^{}$\\]{1,20})\})/.exec(text.slice(at, at + 24));
  return power ? { value: power[1] ?? power[2]!, end: at + power[0].length } : null;
}

/** What a math command outside `$…$` may take along: its `{…}` arguments and `_`/`^` scripts, this many. */
const MAX_COMMAND_PARTS = 4;

/**
 * `\times`, `\alpha_1`, `\sqrt{2}` written outside `$…$` (arXiv abstracts do: `118\times faster`): the
 * command with its arguments and scripts, to be tried as a formula.
 */
function mathCommandAt(text: string, at: number, name: string): { tex: string; end: number } | null {
  if (TEXT_MACROS[name] || name === 'href' || name === 'url') return null;
  let end = at + 1 + name.length;
  for (let parts = 0; parts < MAX_COMMAND_PARTS; parts++) {
    const argument = braceArgument(text, end);
    if (argument) {
      end = argument.end;
      continue;
    }
    const script = /^[_^](?:\\[a-zA-Z]+|[a-zA-Z0-9])/.exec(text.slice(end, end + 40));
    const scriptArgument = /^[_^]\{/.test(text.slice(end, end + 2)) ? braceArgument(text, end + 1) : null;
    if (scriptArgument) end = scriptArgument.end;
    else if (script) end += script[0].length;
    else break;
  }
  return { tex: text.slice(at, end), end };
}

/** `\'e`, `\'{e}`, `\"{o}`, `\c{c}` → the accented letter; letter-named accents need braces. */
function renderAccent(text: string, at: number): { text: string; end: number } | null {
  const command = text[at + 1] ?? '';
  const mark = ACCENTS[command];
  if (!mark) return null;
  const braced = /^\{([a-zA-Z])\}/.exec(text.slice(at + 2, at + 5));
  if (braced) return { text: (braced[1]! + mark).normalize('NFC'), end: at + 5 };
  if (/[a-zA-Z]/.test(command)) return null;
  const letter = text[at + 2] ?? '';
  return /[a-zA-Z]/.test(letter) ? { text: (letter + mark).normalize('NFC'), end: at + 3 } : null;
}

/** `\href{url}{label}` and `\url{url}`: a link for http(s) URLs, plain text for anything else. */
function renderLink(
  name: string,
  first: { value: string; end: number },
  text: string,
  nested: (inner: string) => string,
  links: boolean,
): { html: string; end: number } | null {
  const linked = (url: string, label: string) => (links && SAFE_URL.test(url) ? anchor(url, label) : label);
  if (name === 'url') return { html: linked(first.value, escapeHtml(first.value)), end: first.end };
  if (name !== 'href') return null;
  const second = braceArgument(text, first.end);
  if (!second) return null;
  return { html: linked(first.value, nested(second.value)), end: second.end };
}

const BARE_URL = /https?:\/\/[^\s<>"'\\{}]+/gi;

/** Escapes plain text, turning bare http(s) URLs into links (without the sentence's closing punctuation). */
function linkify(plain: string): string {
  let result = '';
  let last = 0;
  for (const match of plain.matchAll(BARE_URL)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    result += escapeHtml(plain.slice(last, match.index)) + anchor(url, escapeHtml(url));
    last = match.index + url.length;
  }
  return result + escapeHtml(plain.slice(last));
}

function anchor(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" rel="nofollow noopener ugc">${label}</a>`;
}

/** Renders a title or abstract (see the module comment). Pure; use `renderTexCached` on hot paths. */
export function renderTex(text: string, options: RenderOptions = {}): RenderedText {
  if (text.length > MAX_TEXT_LENGTH) return { html: trusted(escapeHtml(text)), hasMath: false };
  const budget = mathBudget(TEXT_MATH_BUDGET);
  const { links = false, plainText } = options;
  const out: Output = { parts: [], hasMath: false, links, plainText, budget };
  try {
    renderInto(text, out, 0);
  } catch {
    // Whatever the text holds, the page shows it: as escaped text when rendering it fails.
    return { html: trusted(escapeHtml(text)), hasMath: false };
  }
  return { html: trusted(out.parts.join('')), hasMath: out.hasMath };
}

// Keyed by the options and the text itself, so an edited title or abstract is simply a new entry; a memo
// of a pure function, holding no handle, so one per process (not a service of the app context).
const cache = new LRUCache<string, RenderedText>({ max: 4000 });

/** `renderTex` with a small LRU in front: feed pages render the same titles on every request. */
export function renderTexCached(text: string, options: RenderOptions = {}): RenderedText {
  const key = (options.links ? 'L' : 'T') + text;
  let rendered = cache.get(key);
  if (!rendered) {
    rendered = renderTex(text, options);
    cache.set(key, rendered);
  }
  return rendered;
}
