/** Small readers for asserting on rendered HTML pages the way a reader would see them. */

export interface Page {
  status: number;
  contentType: string;
  html: string;
}

export async function getPage(url: string, init: RequestInit = {}): Promise<Page> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    html: await response.text(),
  };
}

/** The paper links of a feed page, in list order. */
export function listedPaperPaths(html: string): string[] {
  return [...html.matchAll(/<h2 class="paper-title"><a href="([^"]+)">/g)].map((m) => m[1]!);
}

/** The href of the link with this rel (prev/next) inside the element with this class. */
export function relLink(html: string, navClass: string, rel: 'prev' | 'next'): string | null {
  const nav = new RegExp(`<nav class="${navClass}"[\\s\\S]*?</nav>`).exec(html)?.[0] ?? '';
  return new RegExp(`rel="${rel}" href="([^"]+)"`).exec(nav)?.[1] ?? null;
}

/** Visible text of the page body: tags dropped, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  const main = /<main>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The feeds a page announces in <head> (`<link rel="alternate">`), as [type, title, href]. */
export function announcedFeeds(html: string): string[][] {
  const head = /<head>([\s\S]*)<\/head>/.exec(html)?.[1] ?? '';
  return [...head.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">/g)].map((m) => [
    m[1]!,
    m[2]!,
    m[3]!,
  ]);
}

/** The links of the page footer, as [text, href]. */
export function footerLinks(html: string): string[][] {
  const footer = /<footer>([\s\S]*)<\/footer>/.exec(html)?.[1] ?? '';
  return [...footer.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[2]!, m[1]!]);
}
