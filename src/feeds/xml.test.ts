import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { stripNonXmlChars, xml } from './xml.js';

describe('xml', () => {
  it('escapes markup characters in text and attributes, LaTeX stays as written', () => {
    const title = `$x<y$ & \\emph{"quoted"} 'it' ]]> </title>`;
    const doc = xml`<item label="${title}"><title>${title}</title></item>`.markup;
    expect(XMLValidator.validate(doc)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(doc);
    expect(parsed.item).toEqual({ label: title, title });
  });

  it('drops characters XML 1.0 cannot carry and keeps every other character', () => {
    const text = 'a\u0000b\u0008c\u000Bd\u001Fe\u007Ff\u0085g\uFFFEh\uFFFFi\uD800j\uDFFFk';
    expect(stripNonXmlChars(text)).toBe('abcdefghijk');
    const kept = 'tab\tnew\nline\r Ünïcödé 数学 ∑ 🚀 \uE000';
    expect(stripNonXmlChars(kept)).toBe(kept);
    const doc = xml`<t>${text}</t>`.markup;
    expect(XMLValidator.validate(doc)).toBe(true);
  });

  it('nests fragments and lists without escaping them twice, and drops null', () => {
    const items = ['a&b', 'c'].map((t) => xml`<i>${t}</i>`);
    expect(xml`<l>${items}${null}${undefined}${42}</l>`.markup).toBe('<l><i>a&amp;b</i><i>c</i>42</l>');
  });
});
