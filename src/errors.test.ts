import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, HttpError, invalidInput, invalidRequest } from './errors.js';

describe('HttpError', () => {
  it('names its code after the status unless given one, and carries details and Retry-After', () => {
    expect(new HttpError(404, 'no paper').code).toBe('not_found');
    expect(new HttpError(429, 'slow down', { retryAfterSeconds: 30 })).toMatchObject({
      statusCode: 429,
      code: 'too_many_requests',
      retryAfterSeconds: 30,
    });
    expect(new HttpError(409, 'already', { code: 'vote_unchanged', details: { voted: true } })).toMatchObject({
      code: 'vote_unchanged',
      details: { voted: true },
    });
  });
});

describe('invalidRequest', () => {
  const schema = z.object({ limit: z.number().max(10), sort: z.enum(['new', 'top']) });

  it('names every problem once in the message, and lists them when there are several', () => {
    const parsed = schema.safeParse({ limit: 11, sort: 'random' });
    const error = invalidRequest(parsed.error!);
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/^limit: .*; sort: /);
    expect(error.details).toEqual({
      problems: [expect.objectContaining({ path: 'limit' }), expect.objectContaining({ path: 'sort' })],
    });
  });

  it('keeps a single problem to {error}, the shape clients had', () => {
    const error = invalidRequest(z.object({ limit: z.number() }).safeParse({ limit: 'x' }).error!);
    expect(error.details).toBeUndefined();
    expect(error.message).toMatch(/^limit: /);
  });

  it('writes a problem of the request as a whole without a path', () => {
    const parsed = z
      .object({ a: z.string().optional() })
      .refine(() => false, { message: 'give a or b' })
      .safeParse({});
    expect(describeIssues(parsed.error!)).toBe('give a or b');
  });
});

describe('invalidInput', () => {
  it('gives every problem of a form as its own sentences, each once', () => {
    const form = z.object({
      email: z.email('Enter a valid email address.'),
      password: z.string().min(8, 'Passwords need at least 8 characters.'),
    });
    const error = invalidInput(form.safeParse({ email: 'nope', password: 'short' }).error!);
    expect(error.message).toBe('Enter a valid email address. Passwords need at least 8 characters.');
    expect(invalidInput(form.safeParse({ email: 'a@example.org', password: 'short' }).error!)).toMatchObject({
      message: 'Passwords need at least 8 characters.',
      details: undefined,
    });
  });
});
