import type { Db } from '../db/connection.js';
import { hasSignals, memberTaste, recommendAmong } from '../recommend/for-you.js';
import { reasonLine } from '../recommend/reasons.js';
import { digestFollowsOf, type Follow } from '../store/follows.js';
import type { Subscriber } from '../store/subscriptions.js';
import { membersByEmail } from '../store/users.js';
import {
  type DigestContent,
  type DigestLimits,
  type DigestSection,
  type PeriodPapers,
  selectDigest,
  shownPapers,
} from './select.js';
import { followTopic } from './topics.js';

/** Papers in a digest's "For you" section at most. */
export const FOR_YOU_PAPERS = 5;

/** The member a subscription's address belongs to, and the follows they made digest topics. */
export interface DigestMember {
  userId: string;
  follows: Follow[];
}

/**
 * The members behind these subscriptions, by subscriber id. Read from the address at planning time (a
 * confirmed, unbanned account with it), so a digest reads only the signals of whoever owns its mailbox.
 */
export async function digestMembers(db: Db, subscribers: readonly Subscriber[]): Promise<Map<string, DigestMember>> {
  const members = await membersByEmail(
    db,
    subscribers.map((s) => s.email.toLowerCase()),
  );
  const follows = await digestFollowsOf(db, [...members.values()]);
  const bySubscriber = new Map<string, DigestMember>();
  for (const subscriber of subscribers) {
    const userId = members.get(subscriber.email.toLowerCase());
    if (userId) bySubscriber.set(subscriber.id, { userId, follows: follows.get(userId) ?? [] });
  }
  return bySubscriber;
}

/**
 * Up to FOR_YOU_PAPERS of the period's papers the member's signals lead to, not shown elsewhere in the
 * digest, each with its reason; null when nothing leads anywhere (no trending papers instead). Only
 * the period's papers are ranked, with their vectors read once for every member; only those that score
 * above the period's average (a like they resemble more than most, or a follow) are kept.
 */
export async function forYouSection(
  db: Db,
  papers: PeriodPapers,
  userId: string,
  shown: ReadonlySet<string>,
): Promise<DigestSection | null> {
  const taste = await memberTaste({ db }, userId);
  if (!hasSignals(taste)) return null;
  const followed = new Set<string>();
  const searchMatches = new Map<string, string[]>();
  for (const follow of taste.follows) {
    const topic = followTopic(follow);
    for (const id of topic ? papers.matching(topic) : []) {
      followed.add(id);
      if (follow.kind === 'search') searchMatches.set(id, [...(searchMatches.get(id) ?? []), follow.target]);
    }
  }
  const pool = {
    ids: papers.ids.filter((id) => !shown.has(id)),
    followed,
    searchMatches,
    papers: await papers.papersToRank(db),
  };
  // Scores are standard scores over the period's candidates: a paper below 0 resembles the member's
  // likes less than the period's average paper does, and a mail is no place for it.
  const recommended = (await recommendAmong({ db }, userId, taste, pool, FOR_YOU_PAPERS)).filter((r) => r.score > 0);
  if (recommended.length === 0) return null;
  return {
    title: 'For you',
    paperIds: recommended.map((r) => r.id),
    reasons: Object.fromEntries(recommended.map((r) => [r.id, reasonLine(r.reason)])),
  };
}

/** One subscriber's digest: top papers, typed and followed topics, then "For you" when asked for and a member's. */
export async function memberDigest(
  db: Db,
  papers: PeriodPapers,
  subscriber: Subscriber,
  member: DigestMember | undefined,
  limits: DigestLimits,
): Promise<DigestContent> {
  const topics = papers.topicsOf(subscriber.topics, member?.follows ?? []);
  const content = selectDigest(papers, { includeTop: subscriber.includeTop, topics }, limits);
  if (!subscriber.forYou || !member) return content;
  const forYou = await forYouSection(db, papers, member.userId, shownPapers(content));
  return forYou ? { sections: [...content.sections, forYou] } : content;
}
