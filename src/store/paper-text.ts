// What the store derives from a paper's text as it saves it: the author lookup key and the links in the abstract.

/** Lower-cased, accent-free form of a name for lookups ("Gödel, K." → "godel, k."). */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Where a paper's code, models or data live besides GitHub. */
export type CodeLinkKind = 'gitlab' | 'hf-model' | 'hf-dataset' | 'hf-space';

export interface CodeLink {
  kind: CodeLinkKind;
  /** https://gitlab.com/group/…/project or https://huggingface.co/[datasets/|spaces/]owner/name */
  url: string;
}

export interface DetectedLinks {
  githubUrl: string | null;
  projectUrl: string | null;
  /** GitLab projects and Hugging Face models, datasets and spaces, in order, at most MAX_CODE_LINKS. */
  codeLinks: CodeLink[];
}

export const MAX_CODE_LINKS = 4;

const URL_IN_TEXT = /\b((?:https?:\/\/)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s,;()<>"'\]]*)?)/gi;

const MAYBE_LINK = /:\/\/|\.[a-z0-9-]+\//i;

/** A path segment of a repository or model name; `.` and `..` would climb out of it. */
const isName = (segment: string | undefined): segment is string =>
  segment !== undefined && /^[\w.-]{1,100}$/.test(segment) && !/^\.+$/.test(segment);

/** Pages of huggingface.co that are not a model's `owner/name`. */
const HF_PAGES = new Set([
  'api',
  'blog',
  'chat',
  'collections',
  'docs',
  'join',
  'learn',
  'login',
  'organizations',
  'papers',
  'posts',
  'pricing',
  'settings',
  'tasks',
]);

/**
 * The GitLab project (`gitlab.com/group[/subgroup…]/project`, up to its `/-/` pages) or Hugging Face
 * model, dataset or space a link names, as a canonical https URL; null for anything else.
 */
export function codeLinkOf(link: string): CodeLink | null {
  const match = /^(?:https?:\/\/)?(?:www\.)?(gitlab\.com|huggingface\.co)\/([^?#\s]*)/i.exec(link);
  if (!match) return null;
  const segments = match[2]!.split('/');
  if (match[1]!.toLowerCase() === 'gitlab.com') {
    const end = segments.indexOf('-');
    const path = (end < 0 ? segments : segments.slice(0, end)).filter(Boolean);
    if (path.length < 2 || path.length > 4 || !path.every(isName)) return null;
    path[path.length - 1] = path.at(-1)!.replace(/\.git$/i, '');
    return isName(path.at(-1)) ? { kind: 'gitlab', url: `https://gitlab.com/${path.join('/')}` } : null;
  }
  const prefix = ['models', 'datasets', 'spaces'].includes(segments[0]!) ? segments.shift()! : null;
  const [owner, name] = segments;
  if (!isName(owner) || !isName(name) || (!prefix && HF_PAGES.has(owner.toLowerCase()))) return null;
  if (prefix === 'datasets') return { kind: 'hf-dataset', url: `https://huggingface.co/datasets/${owner}/${name}` };
  if (prefix === 'spaces') return { kind: 'hf-space', url: `https://huggingface.co/spaces/${owner}/${name}` };
  return { kind: 'hf-model', url: `https://huggingface.co/${owner}/${name}` };
}

/** Finds the GitHub repository, the other code links and a project page mentioned in an abstract. */
export function detectLinks(abstract: string): DetectedLinks {
  let githubUrl: string | null = null;
  let projectUrl: string | null = null;
  const codeLinks: CodeLink[] = [];
  // Every link found below has a scheme or a path right after a dotted host; most abstracts have neither and skip the scan.
  if (!MAYBE_LINK.test(abstract)) return { githubUrl, projectUrl, codeLinks };
  for (const match of abstract.matchAll(URL_IN_TEXT)) {
    const candidate = match[1]!.replace(/[.)}\]]+$/, '');
    const hasScheme = /^https?:\/\//i.test(candidate);
    const repo = candidate.match(/^(?:https?:\/\/)?(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)/i);
    if (repo) {
      githubUrl ??= `https://github.com/${repo[1]}/${repo[2]!.replace(/\.git$/i, '')}`;
      continue;
    }
    const code = codeLinkOf(candidate);
    if (code) {
      if (codeLinks.length < MAX_CODE_LINKS && !codeLinks.some((c) => c.url === code.url)) codeLinks.push(code);
      continue;
    }
    // Bare words with dots ("e.g", "i.e.") are not links; a project page needs a scheme or a path.
    if (!hasScheme && !candidate.includes('/')) continue;
    if (/arxiv\.org/i.test(candidate)) continue;
    projectUrl ??= hasScheme ? candidate : `https://${candidate}`;
  }
  return { githubUrl, projectUrl, codeLinks };
}

/** The links of a paper's abstract and its arXiv comments ("Code: https://github.com/…"). */
export function paperLinks(abstract: string, comments: string | null | undefined): DetectedLinks {
  return detectLinks(comments ? `${abstract}\n${comments}` : abstract);
}
