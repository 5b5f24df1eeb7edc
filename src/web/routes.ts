import fastifyStatic from '@fastify/static';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteModule } from '../app/server.js';
import { LINK_PATHS } from '../digest/links.js';
import { changesSharedAnswers } from '../http/page-cache.js';
import { redirectTo } from '../http/reply.js';
import { MAX_IMPORT_BYTES } from '../library/import.js';
import { accountActivity, accountDataExport } from './handlers/account_data.js';
import { accountEmailChange, accountEmailConfirm, accountEmailConfirmShow } from './handlers/account_email.js';
import {
  accountDelete,
  accountDigestChange,
  accountFeedCreate,
  accountFeedRevoke,
  accountPasswordChange,
  accountShow,
  accountTokenCreate,
  accountTokenRevoke,
} from './handlers/account_show.js';
import { accountSignup, accountSignupForm } from './handlers/account_signup.js';
import { authorShow } from './handlers/author_show.js';
import {
  commentDelete,
  commentDeleteShow,
  commentEdit,
  commentEditShow,
  commentPost,
} from './handlers/comment_write.js';
import { avatarShow } from './handlers/avatar_show.js';
import { collectionShow } from './handlers/collection_show.js';
import { collectionCreate, collectionImport, collectionUpdate } from './handlers/collection_write.js';
import { feedDay, feedDayJump } from './handlers/feed_day.js';
import { feedLatest } from './handlers/feed_latest.js';
import { feedMonth } from './handlers/feed_month.js';
import { feedWeek } from './handlers/feed_week.js';
import { libraryItemUpdate, libraryRemove, librarySave } from './handlers/library_save.js';
import { libraryShow } from './handlers/library_show.js';
import { followAdd, followDigest, followRemove } from './handlers/follow_write.js';
import { forYouShow } from './handlers/for_you_show.js';
import { codeLinkPropose } from './handlers/code_link_propose.js';
import {
  moderationCodeLink,
  moderationComment,
  moderationPaper,
  moderationShow,
  moderationUser,
} from './handlers/moderation.js';
import { paperDismiss } from './handlers/paper_dismiss.js';
import { paperShow } from './handlers/paper_show.js';
import { paperSubmit, paperSubmitForm } from './handlers/paper_submit.js';
import { paperVote } from './handlers/paper_vote.js';
import { papersTrending } from './handlers/papers_trending.js';
import { metricsShow } from './handlers/metrics_show.js';
import { readiness } from './handlers/readiness.js';
import { searchShow } from './handlers/search_show.js';
import { userShow } from './handlers/user_show.js';
import { sitemapShow } from './handlers/sitemap_show.js';
import { thumbnailShow } from './handlers/thumbnail_show.js';
import { sessionLinkRedeem, sessionLinkSend, sessionLinkShow, sessionWelcome } from './handlers/session_link.js';
import { sessionLogin, sessionLoginForm } from './handlers/session_login.js';
import { sessionLogout } from './handlers/session_logout.js';
import {
  acceptOneClickUnsubscribe,
  noCsrfCheck,
  subscribe,
  subscribeForm,
  subscriptionConfirm,
  subscriptionConfirmShow,
  subscriptionLinkSend,
  subscriptionManage,
  subscriptionManageShow,
  unsubscribeConfirm,
  unsubscribeShow,
} from './subscriptions.js';

const katexDist = dirname(fileURLToPath(import.meta.resolve('katex/dist/katex.min.css')));

/** Every page of the site, with its handler. Refusals go to the app's error handler (a page, or JSON to fetch()). */
export const webRoutes: RouteModule = async (app, ctx) => {
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./static/', import.meta.url)),
    prefix: '/static/',
    maxAge: '1h',
  });
  await app.register(fastifyStatic, {
    root: katexDist,
    prefix: '/static/katex/',
    decorateReply: false,
    maxAge: '7d',
    // Only KaTeX's stylesheet and its fonts: the rendering happens on the server.
    allowedPath: (path) => path === '/katex.min.css' || /^\/fonts\/[\w-]+\.(woff2?|ttf)$/.test(path),
  });

  app.get('/healthz', async () => ({ ok: true }));
  // Browsers and crawlers ask for /favicon.ico whatever the pages say; the icon is an SVG.
  app.get('/favicon.ico', (_request, reply) => redirectTo(reply, '/static/favicon.svg', 301));
  app.get('/readyz', readiness(ctx));
  app.get('/metrics', { config: { apiToken: false } }, metricsShow(ctx));

  // Reading: the feed by day, week and month, trending, each paper, search.
  app.get('/', feedLatest(ctx));
  app.get('/papers/date', feedDayJump);
  app.get('/papers/date/:key', feedDay(ctx));
  app.get('/papers/week/:key', feedWeek(ctx));
  app.get('/papers/month/:key', feedMonth(ctx));
  app.get('/papers/trending', papersTrending(ctx));
  app.get('/papers/*', paperShow(ctx));
  app.get('/search', searchShow(ctx));
  app.get('/authors/:slug', authorShow(ctx));
  app.get('/sitemap.xml', sitemapShow(ctx));

  // Pictures: papers' first pages (or their title cards) and members' identicons.
  app.get('/thumbnails/*', thumbnailShow(ctx));
  app.get('/avatars/:file', avatarShow);

  // Accounts and sessions.
  app.get('/signup', accountSignupForm(ctx));
  app.post('/signup', accountSignup(ctx));
  app.get('/login', sessionLoginForm);
  app.post('/login', sessionLogin(ctx));
  app.post('/login/email', sessionLinkSend(ctx));
  app.get('/login/link', sessionLinkShow(ctx));
  app.post('/login/link', sessionLinkRedeem(ctx));
  app.get('/welcome', sessionWelcome(ctx));
  app.post('/logout', sessionLogout(ctx));
  app.get('/account', accountShow(ctx));
  app.post('/account/tokens', accountTokenCreate(ctx));
  app.post('/account/tokens/:id/revoke', accountTokenRevoke(ctx));
  app.post('/account/password', accountPasswordChange(ctx));
  app.post('/account/email', accountEmailChange(ctx));
  app.get('/account/email/confirm', accountEmailConfirmShow());
  app.post('/account/email/confirm', accountEmailConfirm(ctx));
  app.get('/account/activity', accountActivity(ctx));
  app.get('/account/export.json', accountDataExport(ctx));
  app.get('/users/:username', userShow(ctx));
  app.post('/account/feed', accountFeedCreate(ctx));
  app.post('/account/feed/revoke', accountFeedRevoke(ctx));
  app.post('/account/digest', accountDigestChange(ctx));
  // Deleting an account withdraws its votes and re-credits its comments and submissions: every reader sees it.
  app.post('/account/delete', changesSharedAnswers, accountDelete(ctx));

  // Members' writes, which change what every reader sees.
  app.get('/submit', paperSubmitForm(ctx));
  app.post('/submit', changesSharedAnswers, paperSubmit(ctx));
  app.post('/vote', changesSharedAnswers, paperVote(ctx));
  app.post('/comments', changesSharedAnswers, commentPost(ctx));
  app.post('/code-links', codeLinkPropose(ctx));
  app.get('/comments/:id/edit', commentEditShow(ctx));
  app.post('/comments/:id/edit', changesSharedAnswers, commentEdit(ctx));
  app.get('/comments/:id/delete', commentDeleteShow(ctx));
  app.post('/comments/:id/delete', changesSharedAnswers, commentDelete(ctx));

  // A member's library and collections; public collections have a page (their feeds are in feeds/routes.ts).
  app.get('/library', libraryShow(ctx));
  app.post('/library/save', librarySave(ctx));
  app.post('/library/item', libraryItemUpdate(ctx));
  app.post('/library/remove', libraryRemove(ctx));
  app.post('/collections', collectionCreate(ctx));
  app.post('/collections/:id', collectionUpdate(ctx));
  app.post('/collections/:id/import', { bodyLimit: MAX_IMPORT_BYTES * 3 }, collectionImport(ctx));
  app.get('/collections/:id', collectionShow(ctx));
  // A member's own: recommendations, "not interested", follows (private; they change no shared page).
  app.get('/for-you', forYouShow(ctx));
  app.post('/not-interested', paperDismiss(ctx));
  app.post('/follows', followAdd(ctx));
  app.post('/follows/delete', followRemove(ctx));
  app.post('/follows/digest', followDigest(ctx));

  // Moderation: the public log and the moderators' actions.
  app.get('/moderation', moderationShow(ctx));
  app.post('/moderation/papers', changesSharedAnswers, moderationPaper(ctx));
  app.post('/moderation/comments/:id', changesSharedAnswers, moderationComment(ctx));
  app.post('/moderation/users', changesSharedAnswers, moderationUser(ctx));
  app.post('/moderation/code-links/:id', changesSharedAnswers, moderationCodeLink(ctx));

  // Digest subscriptions: after the form, every page is reached through a signed link from mail.
  await app.register(async (scope) => {
    acceptOneClickUnsubscribe(scope);
    scope.get('/subscribe', subscribeForm);
    scope.post('/subscribe', noCsrfCheck, subscribe(ctx));
    scope.get(LINK_PATHS.confirm, subscriptionConfirmShow(ctx));
    scope.post(LINK_PATHS.confirm, noCsrfCheck, subscriptionConfirm(ctx));
    scope.get(LINK_PATHS.manage, subscriptionManageShow(ctx));
    scope.post(LINK_PATHS.manage, noCsrfCheck, subscriptionManage(ctx));
    scope.get(LINK_PATHS.unsubscribe, unsubscribeShow(ctx));
    scope.post(LINK_PATHS.unsubscribe, noCsrfCheck, unsubscribeConfirm(ctx));
    scope.post('/subscriptions/link', noCsrfCheck, subscriptionLinkSend(ctx));
  });
};
