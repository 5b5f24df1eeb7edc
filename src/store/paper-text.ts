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

export interface DetectedLinks {
  githubUrl: string | null;
  projectUrl: string | null;
}

const URL_IN_TEXT = /\b((?:https?:\/\/)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s,;()<>"'\]]*)?)/gi;

const MAYBE_LINK = /:\/\/|\.[a-z0-9-]+\//i;

/** Finds a GitHub repository and a project page mentioned in an abstract. */
export function detectLinks(abstract: string): DetectedLinks {
  let githubUrl: string | null = null;
  let projectUrl: string | null = null;
  // Every link found below has a scheme or a path right after a dotted host; most abstracts have neither and skip the scan.
  if (!MAYBE_LINK.test(abstract)) return { githubUrl, projectUrl };
  for (const match of abstract.matchAll(URL_IN_TEXT)) {
    const candidate = match[1]!.replace(/[.)}\]]+$/, '');
    const hasScheme = /^https?:\/\//i.test(candidate);
    const repo = candidate.match(/^(?:https?:\/\/)?(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)/i);
    if (repo) {
      githubUrl ??= `https://github.com/${repo[1]}/${repo[2]!.replace(/\.git$/i, '')}`;
      continue;
    }
    // Bare words with dots ("e.g", "i.e.") are not links; a project page needs a scheme or a path.
    if (!hasScheme && !candidate.includes('/')) continue;
    if (/arxiv\.org/i.test(candidate)) continue;
    projectUrl ??= hasScheme ? candidate : `https://${candidate}`;
  }
  return { githubUrl, projectUrl };
}
