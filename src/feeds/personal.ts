import type { AppContext } from '../app/context.js';
import { hashToken } from '../community/tokens.js';
import { HttpError } from '../errors.js';
import { recommendFor } from '../recommend/for-you.js';
import { getPapers } from '../store/papers.js';
import { ownerOfPersonalFeed } from '../store/personal-feeds.js';
import { DEFAULT_LIMIT, type FeedFormat } from './params.js';
import { listFeedDocument, renderAtom, renderRss } from './render.js';

/** A personal feed lists recommendations published in this many days, as /for-you's month. */
const PERSONAL_FEED_DAYS = 30;

/** Where a member's private feed lives; the token is the only credential, so the URL is the secret. */
export function personalFeedPath(token: string, format: FeedFormat): string {
  return `/for-you/${encodeURIComponent(token)}/${format === 'rss' ? 'feed.xml' : 'atom.xml'}`;
}

/**
 * A member's "For you" list as a feed, found by the secret token in its URL. An unknown, rotated or
 * revoked token is a 404, as a wrong one would be.
 */
export async function personalFeed(ctx: AppContext, token: string, format: FeedFormat): Promise<string> {
  const owner = token.length <= 100 ? await ownerOfPersonalFeed(ctx.db, hashToken(token)) : null;
  if (!owner) throw new HttpError(404, 'No such feed: it may have been revoked or replaced.');
  const from = new Date(Date.now() - PERSONAL_FEED_DAYS * 86_400_000).toISOString().slice(0, 10);
  const forYou = await recommendFor(ctx, owner.id, { limit: DEFAULT_LIMIT, from });
  const papers = await getPapers(
    ctx.db,
    forYou.items.map((item) => item.id),
  );
  const document = listFeedDocument(
    {
      title: `For you, ${owner.username}`,
      description: 'Papers recommended for you from your upvotes, saves and follows. This URL is private.',
      pagePath: '/for-you',
      rssPath: personalFeedPath(token, 'rss'),
      atomPath: personalFeedPath(token, 'atom'),
    },
    papers,
    ctx.config.BASE_URL,
    null,
  );
  return format === 'rss' ? renderRss(document) : renderAtom(document);
}
