import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { z } from 'zod';
import { describeIssues } from '../../errors.js';
import { visitorFor } from '../visitor.js';
import { feedLinksFor } from '../../feeds/params.js';
import { paperNamedBy } from '../../search/lexical.js';
import { MAX_OFFSET, searchListing } from '../../search/listing.js';
import { checkSearchQuery, searchOptions, searchParams } from '../../http/search-params.js';
import { parseQuery, wordsOf } from '../../search/query.js';
import { DEFAULT_SEARCH_MODE, SearchModeUnavailable } from '../../search/search.js';
import { getPapers } from '../../store/papers.js';
import { redirectTo, sendPage } from '../../http/reply.js';
import { searchPage, type SearchFormValues, type SearchPageView } from '../templates/search.js';
import { paperPath } from '../../markup/urls.js';

const PAGE_SIZE = 20;
const MAX_PAGE = Math.floor(MAX_OFFSET / PAGE_SIZE) + 1;

const searchPageQuery = z
  .object({
    ...searchParams,
    page: z.coerce
      .number({ error: `expected a page number from 1 to ${MAX_PAGE}` })
      .int({ error: `expected a page number from 1 to ${MAX_PAGE}` })
      .min(1, { error: `expected a page number from 1 to ${MAX_PAGE}` })
      .max(MAX_PAGE, { error: `expected a page number from 1 to ${MAX_PAGE}` })
      .default(1),
  })
  .superRefine(checkSearchQuery);

const FORM_FIELDS = ['q', 'mode', 'from', 'to', 'category', 'author', 'sort'] as const;

/** The form's values as sent; an empty field counts as absent (a form sends every field). */
function formValues(query: Record<string, unknown>): { form: SearchFormValues; input: Record<string, unknown> } {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) if (value !== '') input[key] = value;
  const form = Object.fromEntries(
    FORM_FIELDS.map((key) => [key, typeof query[key] === 'string' ? (query[key] as string).slice(0, 500) : '']),
  ) as unknown as SearchFormValues;
  return { form, input };
}

/** The same search on another page. */
function pageUrl(form: SearchFormValues, page: number): string {
  const params = new URLSearchParams();
  for (const key of FORM_FIELDS) if (form[key]) params.set(key, form[key]);
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

/** Said when a hybrid search was ranked by words alone (the vector index is still being built). */
const LEXICAL_ONLY_NOTE = 'Ranked by your words only: search by meaning is still being prepared on this site.';

/** GET /search?q=: the results page, with filters, order, mode and pages; an arXiv id goes straight to the paper. */

export function searchShow(ctx: AppContext) {
  const { db } = ctx;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { form, input } = formValues(request.query as Record<string, unknown>);
    const view: SearchPageView = {
      form,
      terms: [],
      papers: [],
      page: 1,
      previous: null,
      next: null,
      notice: null,
      rankingNote: null,
      feeds: [],
    };
    reply.header('cache-control', 'no-store');
    const parsed = searchPageQuery.safeParse(input);
    if (!parsed.success) {
      view.notice = { kind: 'error', message: `This search could not be run: ${describeIssues(parsed.error)}.` };
      return sendPage(reply, searchPage(view, await visitorFor(db, request, [])), 400);
    }
    const options = searchOptions(parsed.data);
    form.q = (parsed.data.q ?? '').trim();
    view.page = parsed.data.page;
    view.feeds = feedLinksFor({
      q: options.text || null,
      categories: options.filters.categories ?? [],
      excludedCategories: options.filters.excludedCategories ?? [],
      author: options.filters.author ?? null,
    });
    if (form.q) {
      const named = await paperNamedBy(db, options.text);
      if (named) return redirectTo(reply, paperPath(named));
      const query = parseQuery(options.text);
      view.terms = [...query.clauses.flatMap((c) => c.words), ...wordsOf(options.filters.author ?? '')];
      try {
        const listing = await searchListing(ctx, options, { limit: PAGE_SIZE, offset: (view.page - 1) * PAGE_SIZE });
        view.papers = await getPapers(db, listing.ids);
        if (listing.answeredBy !== (options.mode ?? DEFAULT_SEARCH_MODE)) view.rankingNote = LEXICAL_ONLY_NOTE;
        if (view.page > 1) view.previous = pageUrl(form, view.page - 1);
        if (listing.hasMore && view.page < MAX_PAGE) view.next = pageUrl(form, view.page + 1);
      } catch (error) {
        if (!(error instanceof SearchModeUnavailable)) throw error;
        view.notice = {
          kind: 'error',
          message: `Searching by ${form.mode} is not available on this site yet; search by words instead.`,
        };
        return sendPage(reply, searchPage(view, await visitorFor(db, request, [])), 400);
      }
      if (view.papers.length === 0 && query.clauses.length === 0 && query.droppedStopWords.length > 0) {
        view.notice = { kind: 'info', message: `“${form.q}” has only very common words; add a more specific one.` };
      }
    }
    const visitor = await visitorFor(
      db,
      request,
      view.papers.map((p) => p.id),
    );
    return sendPage(reply, searchPage(view, visitor));
  };
}
