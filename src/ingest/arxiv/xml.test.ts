import { describe, expect, it } from 'vitest';
import { ArxivFormatError, decodeEntities, parseXmlDocument, textOf } from './xml.js';

describe('decodeEntities', () => {
  it('decodes the predefined entities and numeric references once', () => {
    expect(decodeEntities('x &lt; y &amp;&amp; G&#246;del &#xE9;t&#xe9; &#128512; &quot;q&quot; &apos;a&apos;')).toBe(
      `x < y && Gödel été 😀 "q" 'a'`,
    );
    expect(decodeEntities('&amp;lt;script&amp;gt;')).toBe('&lt;script&gt;');
  });

  it('leaves unknown names, out-of-range code points and bare ampersands as written', () => {
    expect(decodeEntities('&nbsp; &boom; &#0; &#x110000; AT&T')).toBe('&nbsp; &boom; &#0; &#x110000; AT&T');
  });
});

describe('parseXmlDocument', () => {
  it('never expands entities a document declares for itself', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<feed><entry><title>&c;</title><summary>&c; &lt;b&gt;</summary></entry></feed>`;
    const feed = parseXmlDocument(laughs, 'feed', 'http://127.0.0.1/api');
    const entry = (feed.entry as unknown[])[0] as Record<string, unknown>;
    expect(textOf(entry.title)).toBe('&c;');
    expect(textOf(entry.summary)).toBe('&c; <b>');
  });

  it('names the line and column of malformed XML', () => {
    expect(() => parseXmlDocument('<feed>\n<entry>\n</feed>', 'feed', 'http://127.0.0.1/api')).toThrow(
      ArxivFormatError,
    );
    expect(() => parseXmlDocument('<feed>\n<entry>\n</feed>', 'feed', 'http://127.0.0.1/api')).toThrow(
      /line 3, column \d+.*\(http:\/\/127\.0\.0\.1\/api\)$/,
    );
  });
});
