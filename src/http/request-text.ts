import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';

/**
 * Every text a request brings (path segments, query values, form and JSON fields, JSON keys) is
 * checked once, here, before any route sees it: NUL and other control characters mean nothing in
 * a name or a query, PostgreSQL refuses NUL in text outright, and a lone surrogate or a replaced
 * invalid byte (U+FFFD) is text that was never valid UTF-8.
 */

/** Fields whose text may span lines (comments, topic lists, descriptions, reasons, passwords, notes, BibTeX): tab, CR and LF pass. */
const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
  'body',
  'topics',
  'description',
  'reason',
  'password',
  'note',
  'bibtex',
]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const NOT_UTF8 = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/;

/** Why `text` cannot be used as it is, or null when it can. */
export function textProblem(text: string, multiline: boolean): string | null {
  const control = (multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `must not contain control characters (found U+${code})`;
  }
  return NOT_UTF8.test(text) ? 'must be valid UTF-8 text' : null;
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

function fieldName(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) keys.unshift(at.key);
  const name = keys.join('.');
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}

/** The nearest enclosing field name, which decides whether line breaks are allowed. */
function ownField(visit: Visit): string {
  let at: Visit | null = visit;
  while (at?.parent && /^\d+$/.test(at.key)) at = at.parent;
  return at?.key ?? '';
}

/**
 * The first unusable text anywhere in a parsed query, path or body (keys included), as a message
 * naming its field; null when all of it can be used. Walks without recursion, so 10,000 levels of
 * nested JSON cost no stack.
 */
export function findTextProblem(input: unknown): string | null {
  const pending: Visit[] = [{ value: input, key: '', parent: null }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      const problem = textProblem(value, MULTILINE_FIELDS.has(ownField(visit)));
      if (problem) return `${fieldName(visit) || 'text'}: ${problem}`;
    } else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      for (const [key, child] of Object.entries(value)) {
        const problem = textProblem(key, false);
        if (problem) return `field name ${JSON.stringify(key.slice(0, 100))}: ${problem}`;
        pending.push({ value: child, key, parent: visit });
      }
    }
  }
  return null;
}

/** Refuses, with a 400 naming the field, every request carrying unusable text, before any handler runs. */
export function refuseUnusableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // A wildcard route's rest of the path arrives as the parameter `*`; call it what it is.
    const { '*': path, ...params } = request.params as Record<string, string>;
    const url = { ...(path === undefined ? {} : { path }), ...params, ...(request.query as object) };
    const problem = findTextProblem(url) ?? findTextProblem(request.body);
    if (problem) throw new HttpError(400, problem, { code: 'unusable_text' });
  });
}

/** One text field of a form or JSON body; anything but a string (a repeated key, a number) counts as missing. */
export function bodyField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}
