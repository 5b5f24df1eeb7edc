import type { Db } from '../db/connection.js';
import { readableCollection } from '../library/library.js';
import { collectionPath } from '../markup/urls.js';
import { listCollectionPapers } from '../store/library.js';
import { getUser } from '../store/users.js';
import { DEFAULT_LIMIT, type FeedFormat } from './params.js';
import { listFeedDocument, renderAtom, renderRss } from './render.js';

/**
 * A public collection's feed: its latest DEFAULT_LIMIT papers, most recently added first. Feed readers carry no
 * session, so a private collection (or an unknown id) is a 404 for everyone, its owner included.
 */
export async function collectionFeed(db: Db, id: string, format: FeedFormat, baseUrl: string): Promise<string> {
  const collection = await readableCollection(db, null, id);
  const [entries, owner] = await Promise.all([
    listCollectionPapers(db, collection.id, { limit: DEFAULT_LIMIT }),
    getUser(db, collection.userId),
  ]);
  const path = collectionPath(collection.id);
  const latest = [collection.updatedAt, ...entries.map((e) => e.addedAt)].sort().at(-1)!;
  const document = listFeedDocument(
    {
      title: collection.name,
      description: collection.description || `A collection of papers by ${owner?.username ?? 'a member'}`,
      pagePath: path,
      rssPath: `${path}/feed.xml`,
      atomPath: `${path}/atom.xml`,
    },
    entries.map((e) => e.paper),
    baseUrl,
    new Date(latest),
  );
  return format === 'rss' ? renderRss(document) : renderAtom(document);
}
