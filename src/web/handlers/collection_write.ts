import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { importBibtex } from '../../library/import.js';
import { changeCollection, newCollection, ownCollection } from '../../library/library.js';
import { requireUser } from '../../http/auth.js';
import { redirectTo } from '../../http/reply.js';
import { bodyField } from '../../http/request-text.js';
import { sendLayoutPage } from '../layout-page.js';
import { importReportPage, libraryPath } from '../templates/library.js';

/** A checkbox: checked sends `public=true`, unchecked sends nothing. */
const publicField = (request: FastifyRequest) => bodyField(request, 'public') === 'true';

/** POST /collections (name, public?): creates a collection and shows it in the library. */
export function collectionCreate(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'create collections');
    const created = await newCollection(ctx.db, user.id, {
      name: bodyField(request, 'name') ?? '',
      public: publicField(request),
    });
    return redirectTo(reply, libraryPath({ collection: created.id }));
  };
}

/** POST /collections/:id (name?, description?, public): renames, describes, publishes or unpublishes one. */
export function collectionUpdate(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'change collections');
    const changed = await changeCollection(ctx.db, user.id, request.params.id, {
      name: bodyField(request, 'name'),
      description: bodyField(request, 'description'),
      public: publicField(request),
    });
    return redirectTo(reply, libraryPath({ collection: changed.id }));
  };
}

/** POST /collections/:id/import (bibtex): imports pasted BibTeX and shows what was imported and what was skipped. */
export function collectionImport(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'import papers');
    const report = await importBibtex(ctx, user.id, request.params.id, bodyField(request, 'bibtex') ?? '');
    const collection = await ownCollection(ctx.db, user.id, request.params.id);
    return sendLayoutPage(request, reply, {
      title: `Imported into ${collection.name}`,
      body: importReportPage(collection, report),
    });
  };
}
