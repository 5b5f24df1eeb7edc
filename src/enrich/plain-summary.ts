import { shorten } from './summary.js';

/** An answer shorter than this (after cleaning) says nothing a reader could use: the extractive summary stays. */
const MIN_SUMMARY_LENGTH = 20;
/** The raw answer read at most: a model that rambles past this is cut before cleaning. */
const MAX_ANSWER_LENGTH = 4000;

/** Control characters, and the invisible and direction-changing marks that could disguise the text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,5});/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Removes HTML: script and style elements with their content, then every tag, then again after decoding entities. */
function withoutHtml(text: string): string {
  const strip = (t: string) =>
    t
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<\/?[a-z!?/][^>]*>?/gi, ' ')
      .replace(/[<>]/g, ' ');
  return strip(decodeEntities(strip(text)));
}

/** Removes Markdown: links and images keep their text, emphasis and code marks go, and so do headings, quotes and list marks. */
function withoutMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/(\*\*|__|\*|`+|~~)(?=\S)([^*`~]*?\S)\1/g, '$2')
    .replace(/^[ \t]*(?:#{1,6}|>|[-*+]|\d{1,3}[.)])[ \t]+/gm, '')
    .replace(/[*`]|~~/g, '');
}

/**
 * The chat model's answer as a summary a reader may see: plain text on one line, HTML and Markdown
 * stripped, bare links and control characters gone, a "Summary:" label or a reasoning model's
 * `<think>` block left out, cut at 300 characters like the extractive summary. Null when nothing
 * usable is left. The page still escapes it (and renders its `$…$` math) like any other text.
 */
export function plainSummary(answer: string): string | null {
  const text = withoutMarkdown(
    withoutHtml(answer.slice(0, MAX_ANSWER_LENGTH).replace(/<think>[\s\S]*?(?:<\/think>|$)/gi, ' ')),
  )
    .replace(/\b(?:https?|javascript|data|vbscript|file):\S*/gi, ' ')
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^(?:one-sentence )?summary\s*:\s*/i, '')
    .replace(/^["'“‘\s]+|["'”’\s]+$/g, '')
    .trim();
  return text.length < MIN_SUMMARY_LENGTH ? null : shorten(text);
}
