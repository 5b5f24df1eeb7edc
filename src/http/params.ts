import { z } from 'zod';
import { parsePaperId } from '../ingest/normalize.js';

/** Request parameters shared by several routes; each message names what a valid value looks like. */

// Control characters mean nothing in an id or a name, and PostgreSQL refuses NUL in text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const hasNoControlCharacters = (text: string) => !CONTROL_CHARACTERS.test(text);

/** A paper id as clients write it (versioned, `arXiv:` prefixed, old-style with a slash); validates to the stored key. */
export const paperIdParam = z
  .string()
  .meta({
    description:
      'arXiv id with or without version (2203.06604, 2203.06604v2, hep-th/9901001) or source:id (doi:10.1101/…)',
    examples: ['2203.06604', 'hep-th/9901001'],
  })
  .transform((raw, ctx) => {
    const parsed = hasNoControlCharacters(raw) ? parsePaperId(raw) : null;
    if (parsed) return parsed.id;
    ctx.addIssue({
      code: 'custom',
      message: 'not a paper id: expected an arXiv id such as 2203.06604 or hep-th/9901001, or source:id',
    });
    return z.NEVER;
  });

/** A whole number in [min, max] given as a query string value. */
export function wholeNumber(min: number, max: number, fallback: number, description: string) {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message })
    .default(fallback)
    .describe(description);
}

export const MAX_LIMIT = 100;

export function limitParam(fallback: number) {
  return wholeNumber(1, MAX_LIMIT, fallback, `How many papers to return (at most ${MAX_LIMIT})`);
}

/** Free text given once (a repeated parameter arrives as an array and is refused). */
export function textParam(maxLength: number, description: string) {
  return z
    .string({ error: 'expected a single text value' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .refine(hasNoControlCharacters, { error: 'must not contain control characters' })
    .describe(description);
}
