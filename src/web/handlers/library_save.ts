import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { removeFromLibrary, saveToLibrary } from '../../library/library.js';
import { requireUser } from '../../http/auth.js';
import { redirectTo } from '../../http/reply.js';
import { bodyField } from '../../http/request-text.js';
import { HttpError } from '../../errors.js';

function paperField(request: FastifyRequest): string {
  const paper = bodyField(request, 'paper');
  if (!paper) throw new HttpError(400, 'Name the paper to save.');
  return paper;
}

/** `true` or `false` from a form, absent when not sent; anything else is refused. */
function readField(request: FastifyRequest): boolean | undefined {
  const read = bodyField(request, 'read');
  if (read === undefined) return undefined;
  if (read !== 'true' && read !== 'false')
    throw new HttpError(400, 'Mark a paper read (read=true) or unread (read=false).');
  return read === 'true';
}

/** A non-empty collection field, else undefined (a select left on "none"). */
function collectionField(request: FastifyRequest): string | undefined {
  return bodyField(request, 'collection') || undefined;
}

const backTo = (request: FastifyRequest, reply: FastifyReply) =>
  redirectTo(reply, bodyField(request, 'return_to') ?? '/library');

/** POST /library/save (paper, collection?): the Save button, and "add to collection" on /library. */
export function librarySave(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'save papers');
    await saveToLibrary(ctx.db, user.id, paperField(request), { collection: collectionField(request) });
    return backTo(request, reply);
  };
}

/** POST /library/item (paper, note?, read?): edits the note or the read state of a saved paper. */
export function libraryItemUpdate(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'edit your library');
    const note = bodyField(request, 'note');
    await saveToLibrary(ctx.db, user.id, paperField(request), { note, read: readField(request) });
    return backTo(request, reply);
  };
}

/** POST /library/remove (paper, collection?): out of the library, or out of one collection. */
export function libraryRemove(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'edit your library');
    await removeFromLibrary(ctx.db, user.id, paperField(request), collectionField(request));
    return backTo(request, reply);
  };
}
