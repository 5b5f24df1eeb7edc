import type { FastifyReply, FastifyRequest } from 'fastify';
import { usernameSchema } from '../../community/accounts.js';
import { HttpError } from '../../errors.js';
import { identiconSvg } from '../identicon.js';

/** A year: the picture depends on the name alone, so it never changes. */
const AVATAR_MAX_AGE_S = 365 * 86_400;

/** GET /avatars/{username}.svg: the member's generated identicon (any well-formed name has one). */
export function avatarShow(request: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) {
  const name = /^(.+)\.svg$/.exec(request.params.file)?.[1] ?? '';
  if (!usernameSchema.safeParse(name).success) throw new HttpError(404, 'Avatars are at /avatars/USERNAME.svg.');
  return reply
    .type('image/svg+xml')
    .header('cache-control', `public, max-age=${AVATAR_MAX_AGE_S}, immutable`)
    .send(identiconSvg(name));
}
