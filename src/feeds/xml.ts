/**
 * The one place feed XML is escaped. Every interpolated value goes through `xmlText`, which drops
 * what XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF) and escapes the
 * five markup characters, so the result is safe in element text and in quoted attribute values alike.
 */
export class XmlMarkup {
  constructor(readonly markup: string) {}
}

export type XmlValue = XmlMarkup | string | number | null | undefined | XmlValue[];

/**
 * Everything outside XML 1.0's Char production, plus DEL and the C1 controls it only discourages:
 * feed readers choke on them and they carry no text.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const MARKUP_CHAR = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function stripNonXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

export function xmlText(text: string): string {
  return stripNonXmlChars(text).replace(MARKUP_CHAR, (c) => ENTITIES[c]!);
}

function serialize(value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof XmlMarkup) return value.markup;
  if (Array.isArray(value)) return value.map(serialize).join('');
  return xmlText(String(value));
}

/** Tagged template for XML: literal parts are markup, interpolated values are escaped text. */
export function xml(strings: TemplateStringsArray, ...values: XmlValue[]): XmlMarkup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += serialize(values[i]!) + strings[i + 1]!;
  return new XmlMarkup(out);
}
