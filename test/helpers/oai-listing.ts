/** OAI-PMH ListRecords pages in arXiv's metadataPrefix=arXiv format, built from import-format papers (for tests and benchmarks). */
import type { CorpusLine } from '../../bench/lib/corpus.js';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One record as arXiv's OAI-PMH serves it: names split into keyname and forenames, categories space-separated. */
export function oaiRecord(p: CorpusLine): string {
  const authors = (p.authors ?? [])
    .map((name) => {
      const parts = name.trim().split(/\s+/);
      const keyname = parts.pop() ?? name;
      const forenames = parts.length > 0 ? `<forenames>${escapeXml(parts.join(' '))}</forenames>` : '';
      return `<author><keyname>${escapeXml(keyname)}</keyname>${forenames}</author>`;
    })
    .join('');
  const day = p.published ?? '2025-01-01';
  return `<record>
<header>
 <identifier>oai:arXiv.org:${p.id}</identifier>
 <datestamp>${day}</datestamp>
 <setSpec>cs</setSpec>
</header>
<metadata>
 <arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
 <id>${p.id}</id><created>${day}</created><authors>${authors}</authors><title>${escapeXml(p.title)}</title><categories>${(p.categories ?? []).join(' ')}</categories><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>${escapeXml(p.abstract)}</abstract></arXiv>
</metadata>
</record>
`;
}

/** A ListRecords page of already built records; `nextToken` null makes it the last page. */
export function oaiListPage(
  records: string[],
  page: { cursor: number; completeListSize: number; nextToken: string | null },
): string {
  const attributes = `cursor="${page.cursor}" completeListSize="${page.completeListSize}"`;
  const token =
    page.nextToken === null
      ? `<resumptionToken ${attributes}/>`
      : `<resumptionToken ${attributes}>${escapeXml(page.nextToken)}</resumptionToken>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2026-01-01T00:00:00Z</responseDate>
<request verb="ListRecords">http://127.0.0.1/oai</request>
<ListRecords>
${records.join('')}${token}
</ListRecords>
</OAI-PMH>
`;
}
