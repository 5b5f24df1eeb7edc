import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connection.js';
import { savedPaperIds } from '../store/library.js';
import { votedPaperIds } from '../store/votes.js';
import { viewerOf, type Viewer } from '../http/auth.js';

/** What a page needs to know about who is reading it: for the header, the forms and the vote buttons. */
export interface Visitor {
  viewer: Viewer | null;
  /** The session's CSRF token (null for anonymous readers, who see no forms that need one). */
  csrfToken: string | null;
  /** Which of the page's papers the viewer has upvoted. */
  votedIds: ReadonlySet<string>;
  /** Which of the page's papers are in the viewer's library. */
  savedIds: ReadonlySet<string>;
}

export const anonymousVisitor: Visitor = { viewer: null, csrfToken: null, votedIds: new Set(), savedIds: new Set() };

export async function visitorFor(db: Db, request: FastifyRequest, paperIds: string[]): Promise<Visitor> {
  const viewer = viewerOf(request);
  if (!viewer) return anonymousVisitor;
  const [votedIds, savedIds] = await Promise.all([
    votedPaperIds(db, viewer.id, paperIds),
    savedPaperIds(db, viewer.id, paperIds),
  ]);
  return { viewer, csrfToken: request.auth?.csrfToken ?? null, votedIds, savedIds };
}
