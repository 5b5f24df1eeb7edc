import { z } from 'zod';
import { CATEGORY } from '../search/query.js';
import { FOLLOW_KINDS, type FollowKind } from '../store/follows.js';
import { nameKey } from '../store/paper-text.js';
import { MAX_AUTHOR_LENGTH, MAX_QUERY_LENGTH } from './search-params.js';

/**
 * What a follow names, as the API and the forms take it: an author's name (stored as its normalised
 * key, so "Gödel, K." and "godel, k." are one follow), an arXiv category, or a search's words.
 */
export const followInput = z
  .object({
    kind: z.enum(FOLLOW_KINDS, { error: `expected one of ${FOLLOW_KINDS.join(', ')}` }).describe('What to follow'),
    target: z
      .string({ error: 'expected a single text value' })
      .max(MAX_QUERY_LENGTH, { error: `must be at most ${MAX_QUERY_LENGTH} characters` })
      .describe("An author's name, an arXiv category (cs.CL) or a search's words"),
  })
  .superRefine((input, ctx) => {
    const target = followTarget(input.kind, input.target);
    if (typeof target !== 'string') ctx.addIssue({ code: 'custom', path: ['target'], message: target.problem });
  });

/** A checked follow input in its stored form. */
export function storedFollow(input: z.output<typeof followInput>): { kind: FollowKind; target: string } {
  return { kind: input.kind, target: followTarget(input.kind, input.target) as string };
}

/** The stored form of a follow's target, or what is wrong with it. */
export function followTarget(kind: FollowKind, raw: string): string | { problem: string } {
  const text = raw.trim();
  if (!text) return { problem: 'must not be empty' };
  if (kind === 'author') {
    if (text.length > MAX_AUTHOR_LENGTH) return { problem: `must be at most ${MAX_AUTHOR_LENGTH} characters` };
    const key = nameKey(text);
    return /\p{L}/u.test(key) ? key : { problem: 'an author name must have a letter' };
  }
  if (kind === 'category') return CATEGORY.test(text) ? text : { problem: 'must be an arXiv category such as cs.CL' };
  return text.replace(/\s+/g, ' ');
}
