import type { Db } from '../db/connection.js';
import type { DigestFrequency } from '../db/schema.js';
import { dayPeriod, weekPeriod, type Period } from '../rank/periods.js';
import { listFeatured } from '../store/papers.js';
import { matchTopic, parseTopic, type CandidatePaper } from './topics.js';

/** What one digest shows: sections of paper ids, fixed when the digest is planned so a retry sends the same mail. */
export interface DigestSection {
  title: string;
  paperIds: string[];
}

export interface DigestContent {
  sections: DigestSection[];
}

export interface DigestChoice {
  includeTop: boolean;
  topics: readonly string[];
}

export interface DigestLimits {
  /** Top papers by upvotes per digest. */
  topN: number;
  /** Papers per topic. */
  topicN: number;
}

/** A daily digest covers a day (YYYY-MM-DD), a weekly one an ISO week (YYYY-Www). */
export function digestPeriod(frequency: DigestFrequency, key: string): Period | null {
  return frequency === 'daily' ? dayPeriod(key) : weekPeriod(key);
}

/**
 * The papers of one period, loaded once and shared by every subscriber: the top papers featured
 * in the period by upvotes, and the new papers (featured or published in the period) that
 * topics are matched against, each topic matched once however many follow it.
 */
export class PeriodPapers {
  private readonly topicMatches = new Map<string, string[]>();

  constructor(
    readonly period: Period,
    readonly top: readonly string[],
    private readonly candidates: readonly CandidatePaper[],
  ) {}

  static async load(db: Db, period: Period, topN: number): Promise<PeriodPapers> {
    const featured = await listFeatured(db, { from: period.from, to: period.to, sort: 'upvotes', limit: topN });
    const rows = await db.kysely
      .selectFrom('papers')
      .select(['id', 'title', 'abstract', 'categories', 'upvotes', 'published_on'])
      .where('hidden', '=', 0)
      .where((eb) =>
        eb.or([
          eb.and([eb('featured_on', '>=', period.from), eb('featured_on', '<=', period.to)]),
          eb.and([eb('published_on', '>=', period.from), eb('published_on', '<=', period.to)]),
        ]),
      )
      .execute();
    const candidates = rows.map((r) => ({
      id: r.id,
      title: r.title,
      abstract: r.abstract,
      categories: JSON.parse(r.categories) as string[],
      upvotes: r.upvotes,
      publishedOn: r.published_on,
    }));
    return new PeriodPapers(
      period,
      featured.map((p) => p.id),
      candidates,
    );
  }

  /** Ids of the new papers matching a topic, best first (empty for text that is no topic). */
  matching(topicText: string): readonly string[] {
    let ids = this.topicMatches.get(topicText);
    if (!ids) {
      const topic = parseTopic(topicText);
      ids = topic ? matchTopic(topic, this.candidates).map((p) => p.id) : [];
      this.topicMatches.set(topicText, ids);
    }
    return ids;
  }
}

function topicTitle(topic: string): string {
  return parseTopic(topic)?.kind === 'category' ? `New in ${topic}` : `New on “${topic}”`;
}

/** One subscriber's digest: top papers, then each topic; a paper shows once, in its first section; empty sections are left out. */
export function selectDigest(papers: PeriodPapers, choice: DigestChoice, limits: DigestLimits): DigestContent {
  const shown = new Set<string>();
  const sections: DigestSection[] = [];
  const add = (title: string, ids: readonly string[], limit: number) => {
    const fresh = ids.filter((id) => !shown.has(id)).slice(0, limit);
    for (const id of fresh) shown.add(id);
    if (fresh.length > 0) sections.push({ title, paperIds: fresh });
  };
  if (choice.includeTop)
    add(papers.period.kind === 'week' ? 'Top papers of the week' : 'Top papers of the day', papers.top, limits.topN);
  for (const topic of choice.topics) add(topicTitle(topic), papers.matching(topic), limits.topicN);
  return { sections };
}

export function paperCount(content: DigestContent): number {
  return content.sections.reduce((n, s) => n + s.paperIds.length, 0);
}
