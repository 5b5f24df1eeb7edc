import type { Db } from '../db/connection.js';
import type { DigestFrequency } from '../db/schema.js';
import { dayPeriod, weekPeriod, type Period } from '../rank/periods.js';
import type { PaperToRank } from '../recommend/for-you.js';
import { activeEmbeddingModel, vectorsOfPapers } from '../store/embeddings.js';
import type { Follow } from '../store/follows.js';
import { nameKey } from '../store/paper-text.js';
import { listFeatured } from '../store/papers.js';
import { followTopic, matchTopic, parseTopic, topicKey, type CandidatePaper, type Topic } from './topics.js';

/** What one digest shows: sections of paper ids, fixed when the digest is planned so a retry sends the same mail. */
export interface DigestSection {
  title: string;
  paperIds: string[];
  /** Why each paper is there, by id, in one line (the "For you" section). */
  reasons?: Record<string, string>;
}

export interface DigestContent {
  sections: DigestSection[];
}

export interface DigestChoice {
  includeTop: boolean;
  topics: readonly Topic[];
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
  /** Typed topics as parsed, once per text however many subscribers typed it. */
  private readonly parsedTopics = new Map<string, Topic | null>();
  /** A written form of each author's normalised name, for section titles. */
  private readonly authorNames = new Map<string, string>();
  private toRank: Promise<ReadonlyMap<string, PaperToRank>> | null = null;
  /** Every new paper of the period, most upvoted first. */
  readonly ids: readonly string[];

  constructor(
    readonly period: Period,
    readonly top: readonly string[],
    private readonly candidates: readonly (CandidatePaper & { authorNames: string[] })[],
  ) {
    for (const paper of candidates)
      paper.authorKeys.forEach((key, i) => {
        if (!this.authorNames.has(key)) this.authorNames.set(key, paper.authorNames[i]!);
      });
    this.ids = [...candidates].sort((a, b) => b.upvotes - a.upvotes || a.id.localeCompare(b.id)).map((p) => p.id);
  }

  /** The period's papers as ranking reads them, with their stored vectors: read once for every member's "For you". */
  papersToRank(db: Db): Promise<ReadonlyMap<string, PaperToRank>> {
    this.toRank ??= (async () => {
      const model = await activeEmbeddingModel(db);
      const vectors = model
        ? await vectorsOfPapers(
            db,
            model.id,
            this.candidates.map((p) => p.id),
          )
        : new Map<string, { vector: Float32Array }>();
      return new Map(
        this.candidates.map((p) => [
          p.id,
          {
            id: p.id,
            title: p.title,
            abstract: p.abstract,
            authorNames: p.authorNames,
            categories: p.categories,
            vector: vectors.get(p.id)?.vector ?? null,
          },
        ]),
      );
    })();
    return this.toRank;
  }

  /** A section's title: "New in cs.CL", "New on “attention”", "New from Ada Lovelace". */
  titleOf(topic: Topic): string {
    if (topic.kind === 'category') return `New in ${topic.value}`;
    if (topic.kind === 'author') return `New from ${this.authorNames.get(topic.value) ?? topic.value}`;
    return `New on “${topic.value}”`;
  }

  static async load(db: Db, period: Period, topN: number): Promise<PeriodPapers> {
    const featured = await listFeatured(db, { from: period.from, to: period.to, sort: 'upvotes', limit: topN });
    const rows = await db.kysely
      .selectFrom('papers')
      .select(['id', 'title', 'abstract', 'authors', 'categories', 'upvotes', 'published_on'])
      .where('hidden', '=', 0)
      .where((eb) =>
        eb.or([
          eb.and([eb('featured_on', '>=', period.from), eb('featured_on', '<=', period.to)]),
          eb.and([eb('published_on', '>=', period.from), eb('published_on', '<=', period.to)]),
        ]),
      )
      .execute();
    const candidates = rows.map((r) => {
      const authorNames = (JSON.parse(r.authors) as { name: string }[]).map((a) => a.name);
      return {
        id: r.id,
        title: r.title,
        abstract: r.abstract,
        authorNames,
        authorKeys: authorNames.map(nameKey),
        categories: JSON.parse(r.categories) as string[],
        upvotes: r.upvotes,
        publishedOn: r.published_on,
      };
    });
    return new PeriodPapers(
      period,
      featured.map((p) => p.id),
      candidates,
    );
  }

  /** Ids of the new papers matching a topic, best first. */
  matching(topic: Topic): readonly string[] {
    const key = topicKey(topic);
    let ids = this.topicMatches.get(key);
    if (!ids) {
      ids = matchTopic(topic, this.candidates).map((p) => p.id);
      this.topicMatches.set(key, ids);
    }
    return ids;
  }

  /**
   * A subscriber's topics: those typed into the subscription (text that is no topic any more is
   * skipped), then the member's follows made digest topics; one of each.
   */
  topicsOf(typed: readonly string[], follows: readonly Follow[]): Topic[] {
    const parse = (text: string) => {
      if (!this.parsedTopics.has(text)) this.parsedTopics.set(text, parseTopic(text));
      return this.parsedTopics.get(text)!;
    };
    const topics = new Map<string, Topic>();
    for (const topic of [...typed.map(parse), ...follows.map(followTopic)])
      if (topic && !topics.has(topicKey(topic))) topics.set(topicKey(topic), topic);
    return [...topics.values()];
  }
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
  for (const topic of choice.topics) add(papers.titleOf(topic), papers.matching(topic), limits.topicN);
  return { sections };
}

export function shownPapers(content: DigestContent): Set<string> {
  return new Set(content.sections.flatMap((s) => s.paperIds));
}

export function paperCount(content: DigestContent): number {
  return content.sections.reduce((n, s) => n + s.paperIds.length, 0);
}
