import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Author } from '../../store/papers.js';
import { optionalText } from '../normalize.js';

/** A response that is not the XML document it should be: malformed, truncated, HTML, or the wrong root. */
export class ArxivFormatError extends Error {
  constructor(
    readonly problem: string,
    readonly url: string,
  ) {
    super(`${problem} (${url})`);
    this.name = 'ArxivFormatError';
  }
}

/** Elements that may repeat in OAI-PMH and Atom responses, always read as arrays. */
const REPEATED = new Set(['record', 'setSpec', 'author', 'entry', 'category', 'link', 'affiliation']);
/** The only attributes read; skipping the rest (namespaces, schema locations) saves parsing time. */
const READ_ATTRIBUTES = new Set(['code', 'completeListSize', 'status', 'term', 'title', 'href', 'rel']);

// Namespace prefixes are dropped (arxiv:doi → doi); values stay strings, so "0704.0001" is never a number.
// The long text-only elements are taken verbatim, not scanned for markup, and entities are decoded by
// textOf: together about a third less parsing time on an OAI page, and no DOCTYPE entity expansion.
const parser = new XMLParser({
  ignoreAttributes: (name) => !READ_ATTRIBUTES.has(name),
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  stopNodes: ['*.abstract', '*.summary', '*.title', '*.comments'],
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
  // Callbacks get the parser's path matcher instead of a path string built for every element.
  jPath: false,
});

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML's predefined entities and numeric character references; anything else stays as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g,
    (whole, dec?: string, hex?: string, name?: string) => {
      if (name) return NAMED_ENTITIES[name]!;
      const code = dec ? Number(dec) : Number.parseInt(hex!, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

export type XmlNode = Record<string, unknown>;

/** Parses without validating; for measuring the parser alone. */
export function parseXmlUnchecked(body: string): XmlNode {
  return parser.parse(body) as XmlNode;
}

/**
 * Validates and parses a whole document and returns its root element. The parser alone accepts
 * truncated or mismatched markup silently, so every response is validated first.
 */
export function parseXmlDocument(body: string, expectedRoot: string, url: string): XmlNode {
  const start = body.trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) {
    throw new ArxivFormatError(`expected an XML <${expectedRoot}> document but got an HTML page`, url);
  }
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new ArxivFormatError(`malformed or truncated XML at line ${line}, column ${col}: ${msg.slice(0, 200)}`, url);
  }
  const root = parseXmlUnchecked(body)[expectedRoot];
  if (typeof root !== 'object' || root === null) {
    throw new ArxivFormatError(`expected an XML <${expectedRoot}> document but the root element is different`, url);
  }
  return root as XmlNode;
}

/** The decoded text of an element that may carry attributes ({'#text': …}) or be missing. */
export function textOf(node: unknown): string | null {
  if (node === undefined || node === null) return null;
  if (typeof node === 'string') return decodeEntities(node);
  if (typeof node === 'object') return '#text' in node ? decodeEntities(String((node as XmlNode)['#text'])) : '';
  return String(node);
}

/** An element that may repeat, as an array (absent → empty). */
export function listOf(node: unknown): unknown[] {
  if (node === undefined || node === null || node === '') return [];
  return Array.isArray(node) ? node : [node];
}

export function attributeOf(node: unknown, name: string): string | null {
  if (typeof node !== 'object' || node === null) return null;
  const value = (node as XmlNode)[`@${name}`];
  return value === undefined ? null : decodeEntities(String(value));
}

export function childOf(node: unknown, name: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  return (node as XmlNode)[name];
}

/** An author with the affiliations an author element lists (several joined by "; "); none without a name. */
export function authorFrom(name: string | null, authorNode: unknown): Author[] {
  if (!name) return [];
  const affiliation = listOf(childOf(authorNode, 'affiliation'))
    .map((a) => optionalText(textOf(a)))
    .filter(Boolean)
    .join('; ');
  return [affiliation ? { name, affiliation } : { name }];
}
