import { z } from 'zod';
import { isArxivId } from '../ingest/normalize.js';
import { isValidDay } from '../rank/periods.js';
import { thumbnailPath } from '../markup/urls.js';
import type { Paper } from '../store/papers.js';
import { DELETED_MEMBER } from '../store/users.js';
import { apiSchemas } from './route.js';

/**
 * The JSON shapes of the Hugging Face Hub papers API, built from our papers. Field names and
 * types follow what the `huggingface_hub` client reads (`PaperInfo(**data)`): authors as objects
 * with `name`, timestamps as `YYYY-MM-DDTHH:MM:SS.sssZ` (the only form its parser accepts),
 * `title` and `numComments` at the top level of a list item.
 */
/** The timestamp form the huggingface_hub client parses (`%Y-%m-%dT%H:%M:%S.%fZ`). */
const timestamp = z.iso.datetime({ precision: 3 });
const count = z.int().nonnegative();

export const authorJson = z
  .object({
    _id: z.string().describe('Stable id of this author entry: the paper id and the position'),
    name: z.string(),
    hidden: z.boolean(),
  })
  .register(apiSchemas, { id: 'Author' });

export const userJson = z
  .object({
    _id: z.string(),
    user: z.string().describe('Username (what huggingface_hub reads as `username`)'),
    name: z.string(),
    fullname: z.string(),
    type: z.literal('user'),
  })
  .register(apiSchemas, { id: 'User', description: 'Who submitted a paper to the daily feed' });

/** Fields huggingface_hub's PaperInfo reads from the top level of an answer only. */
const glanceFields = {
  githubRepo: z.url().optional().describe('The GitHub repository named in the abstract or arXiv comments'),
  githubStars: count.optional().describe('Stars of githubRepo, as last checked; absent when unknown'),
  projectPage: z.url().optional().describe('Another link of the paper (a project page, GitLab, Hugging Face)'),
  ai_summary: z
    .string()
    .optional()
    .describe('One sentence of the abstract that sums it up (its most central); absent until computed'),
  ai_keywords: z
    .array(z.string())
    .optional()
    .describe('5–8 keyphrases of the paper, best first; absent until computed'),
  thumbnail: z.url().describe('Image of the first page (until rendered, a title card)'),
};

export const paperJson = z
  .object({
    id: z.string().describe('arXiv id without version (2203.06604, hep-th/9901001) or source:id'),
    title: z.string(),
    summary: z.string().describe('The abstract'),
    authors: z.array(authorJson),
    publishedAt: timestamp.optional().describe('When the paper was first published (start of that day, UTC)'),
    upvotes: count,
    numComments: count,
    discussionId: z.string().describe('Key of the paper’s discussion thread'),
    submittedOnDailyAt: timestamp.optional().describe('When it entered the daily feed; absent if never featured'),
    submittedOnDailyBy: userJson.optional(),
    categories: z.array(z.string()).describe('Subject categories, primary first'),
    source: z.string().describe('arxiv, or the source of a source:id'),
    ...glanceFields,
  })
  .register(apiSchemas, {
    id: 'Paper',
    description: 'As the Hub answers: a field with nothing to say is left out, never null',
  });

export const dailyPaperJson = z
  .object({
    paper: paperJson,
    publishedAt: timestamp.optional().describe('When the paper entered the daily feed; absent if never featured'),
    title: z.string(),
    summary: z.string(),
    numComments: count,
    submittedBy: userJson.optional(),
    source: z.string(),
    // The Hub keeps these inside `paper` only; repeated here, where the huggingface_hub client reads them.
    ...glanceFields,
  })
  .register(apiSchemas, { id: 'DailyPaper' });

export const dailyPaperListJson = z.array(dailyPaperJson).register(apiSchemas, { id: 'DailyPaperList' });

export type PaperJson = z.infer<typeof paperJson>;
export type DailyPaperJson = z.infer<typeof dailyPaperJson>;

function startOfDay(day: string | null): string | null {
  return day && isValidDay(day) ? `${day}T00:00:00.000Z` : null;
}

/**
 * When a paper entered the feed: its submission time when that falls on its featured day,
 * otherwise the start of that day (an import can feature papers on a past day).
 */
export function featuredAt(paper: Pick<Paper, 'featuredOn' | 'submittedAt'>): string | null {
  if (!paper.featuredOn) return null;
  const submitted = paper.submittedAt ? Date.parse(paper.submittedAt) : NaN;
  if (!Number.isNaN(submitted)) {
    const iso = new Date(submitted).toISOString();
    if (iso.startsWith(paper.featuredOn)) return iso;
  }
  return startOfDay(paper.featuredOn);
}

export function paperSource(id: string): string {
  return isArxivId(id) ? 'arxiv' : id.slice(0, id.indexOf(':'));
}

/** The submitter as the Hub describes users; left out when there is none to describe (a deleted account's). */
function submitterJson(username: string | null): z.infer<typeof userJson> | undefined {
  return username && username !== DELETED_MEMBER
    ? { _id: username, user: username, name: username, fullname: username, type: 'user' }
    : undefined;
}

/** The object without its null and undefined fields: the Hub leaves out what it has no value for. */
function present<T extends object>(fields: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

function glance(paper: Paper, site: string) {
  return present({
    githubRepo: paper.githubUrl,
    githubStars: paper.githubUrl ? paper.githubStars : null,
    projectPage: paper.projectUrl,
    ai_summary: paper.aiSummary,
    ai_keywords: paper.aiKeywords.length > 0 ? paper.aiKeywords : null,
    thumbnail: `${site}${thumbnailPath(paper.id)}`,
  });
}

/** A paper as /api/papers/{id} answers it; `site` is the public base URL (BASE_URL) for its thumbnail. */
export function toPaperJson(paper: Paper, site: string): PaperJson {
  const submittedOnDailyAt = featuredAt(paper);
  return present({
    id: paper.id,
    title: paper.title,
    summary: paper.abstract,
    authors: paper.authors.map((author, position) => ({
      _id: `${paper.id}#${position}`,
      name: author.name,
      hidden: false,
    })),
    publishedAt: startOfDay(paper.publishedOn),
    upvotes: paper.upvotes,
    numComments: paper.numComments,
    discussionId: paper.id,
    submittedOnDailyAt,
    submittedOnDailyBy: submittedOnDailyAt ? submitterJson(paper.submittedBy) : undefined,
    categories: paper.categories,
    source: paperSource(paper.id),
    ...glance(paper, site),
  });
}

/** A list item of /api/daily_papers and /api/papers/search. */
export function toDailyPaperJson(paper: Paper, site: string): DailyPaperJson {
  const json = toPaperJson(paper, site);
  return present({
    paper: json,
    publishedAt: json.submittedOnDailyAt,
    title: json.title,
    summary: json.summary,
    numComments: json.numComments,
    submittedBy: json.submittedOnDailyBy,
    source: json.source,
    ...glance(paper, site),
  });
}
