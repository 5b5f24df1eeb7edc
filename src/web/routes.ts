import type { RouteModule } from '../app/server.js';
import { accountShow } from './handlers/account_show.js';
import { accountSignup } from './handlers/account_signup.js';
import { commentWrite } from './handlers/comment_write.js';
import { moderation } from './handlers/moderation.js';
import { paperSubmit } from './handlers/paper_submit.js';
import { paperVote } from './handlers/paper_vote.js';
import { papersTrending } from './handlers/papers_trending.js';
import { sessionLink } from './handlers/session_link.js';
import { sessionLogin } from './handlers/session_login.js';
import { sessionLogout } from './handlers/session_logout.js';

const pages = [accountSignup, sessionLogin, sessionLink, sessionLogout, accountShow, paperSubmit, paperVote, commentWrite, moderation, papersTrending];

/** Accounts, submissions, votes, comments, moderation and trending, as pages; their refusals go to the app's error handler. */
export const communityRoutes: RouteModule = async (app, ctx) => {
  for (const register of pages) await register(app, ctx);
};
