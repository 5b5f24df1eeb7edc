import { z } from 'zod';
import { deleteAccount } from '../community/account-deletion.js';
import { Answer, answers, apiSchemas, defineApiRoute } from './route.js';

export const meJson = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(['member', 'moderator', 'admin']),
    createdAt: z.string(),
  })
  .register(apiSchemas, { id: 'Me', description: 'The account a token or session belongs to' });

/** GET /api/me: who a token or session belongs to (handy for checking a script's token). */
export const meRoute = defineApiRoute({
  method: 'GET',
  operationId: 'getMe',
  path: '/api/me',
  urls: ['/api/me'],
  summary: 'Who the token belongs to',
  member: 'see who you are',
  responses: [answers.ok('The account', meJson), answers.unauthorized('No valid API token (or session)')],
  async handle({ member }) {
    return { id: member.id, username: member.username, role: member.role, createdAt: member.createdAt };
  },
});

export const accountDeletionBody = z
  .object({
    password: z.string().max(1024).default('').describe('The current password'),
    confirm: z.string().max(100).describe('Your username, typed to confirm'),
  })
  .register(apiSchemas, { id: 'AccountDeletion', description: 'The proof that the account’s member means it' });

/** DELETE /api/me: deletes the account, as the form on /account does (community/account-deletion.ts). */
export const deleteMeRoute = defineApiRoute({
  method: 'DELETE',
  operationId: 'deleteMe',
  path: '/api/me',
  urls: ['/api/me'],
  summary: 'Delete your account',
  description:
    'Withdraws your upvotes and deletes your library, collections, follows, private feed, API tokens, sessions and the ' +
    'digest subscription of your address; your comments and submissions stay, credited to "deleted member". ' +
    'Needs the current password (an account without one deletes itself on /account).',
  body: accountDeletionBody,
  member: 'delete your account',
  changesSharedAnswers: true,
  responses: [
    answers.noContent('Deleted; the token no longer works'),
    answers.badRequest('A wrong password, or the username not typed'),
    answers.unauthorized('No valid API token (or session)'),
  ],
  async handle({ member, body }, ctx) {
    await deleteAccount(ctx, { userId: member.id, sessionHash: null }, body);
    return new Answer(undefined, { status: 204 });
  },
});
