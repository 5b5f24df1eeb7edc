/**
 * A line-for-line port of how the `huggingface_hub` Python client turns a JSON answer into a
 * `PaperInfo` (hf_api.py: `PaperInfo.__init__`, `User.__init__`, utils `parse_datetime`), so the
 * tests can check our answers against the client without Python. Python's `a or b` (lazy, with
 * 0, "", [] and {} falsy), `dict.pop` and `self.__dict__.update(**kwargs)` are kept as they are.
 */
type Json = Record<string, unknown>;

export interface PaperInfo {
  id: unknown;
  authors: unknown[] | null;
  published_at: Date | null;
  title: unknown;
  source: unknown;
  summary: unknown;
  upvotes: unknown;
  discussion_id: unknown;
  comments: unknown;
  submitted_at: Date | null;
  submitted_by: Json | null;
  ai_summary: unknown;
  ai_keywords: unknown;
  organization: Json | null;
  project_page: unknown;
  github_repo: unknown;
  github_stars: unknown;
  [leftover: string]: unknown;
}

function falsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

const or = (first: unknown, second: () => unknown) => (falsy(first) ? second() : first);

function asDict(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`${what} is not a mapping`);
  return value as Json;
}

function pop(dict: Json, key: string, fallback: unknown = null): unknown {
  if (!(key in dict)) return fallback;
  const value = dict[key];
  delete dict[key];
  return value;
}

/** `parse_datetime`: only `%Y-%m-%dT%H:%M:%S.%fZ` is accepted. */
export function parseDatetime(text: unknown): Date {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/.test(text)) {
    throw new Error(`Cannot parse '${String(text)}' as a datetime`);
  }
  return new Date(text);
}

export function readUser(data: unknown): Json {
  const kwargs = { ...asDict(data, 'User(**data)') };
  const user: Json = {
    username: pop(kwargs, 'user', ''),
    fullname: pop(kwargs, 'fullname', ''),
    avatar_url: pop(kwargs, 'avatarUrl', ''),
    user_type: pop(kwargs, 'type'),
    orgs: (pop(kwargs, 'orgs', []) as unknown[]).map((org) => asDict(org, 'Organization(**org)')),
  };
  return Object.assign(user, kwargs);
}

export function readPaperInfo(data: unknown): PaperInfo {
  const kwargs = structuredClone(asDict(data, 'PaperInfo(**data)'));
  const paper = asDict(pop(kwargs, 'paper', {}), 'paper');
  const id = or(pop(kwargs, 'id'), () => pop(paper, 'id'));
  const authors = or(pop(paper, 'authors'), () => pop(kwargs, 'authors')) as unknown;
  const publishedAt = or(pop(paper, 'publishedAt'), () => pop(kwargs, 'publishedAt'));
  const info: PaperInfo = {
    id,
    authors: falsy(authors) ? null : (authors as unknown[]).map((author) => pop(asDict(author, 'author'), 'name')),
    published_at: falsy(publishedAt) ? null : parseDatetime(publishedAt),
    title: pop(kwargs, 'title'),
    source: pop(kwargs, 'source'),
    summary: or(pop(paper, 'summary'), () => pop(kwargs, 'summary')),
    upvotes: or(pop(paper, 'upvotes'), () => pop(kwargs, 'upvotes')),
    discussion_id: or(pop(paper, 'discussionId'), () => pop(kwargs, 'discussionId')),
    comments: pop(kwargs, 'numComments', 0),
    submitted_at: null,
    submitted_by: null,
    ai_summary: null,
    ai_keywords: null,
    organization: null,
    project_page: null,
    github_repo: null,
    github_stars: null,
  };
  const submittedAt = or(pop(kwargs, 'publishedAt'), () => pop(kwargs, 'submittedOnDailyAt'));
  info.submitted_at = falsy(submittedAt) ? null : parseDatetime(submittedAt);
  const submittedBy = or(pop(kwargs, 'submittedBy'), () => pop(kwargs, 'submittedOnDailyBy'));
  info.submitted_by = falsy(submittedBy) ? null : readUser(submittedBy);
  // Read from the top level only (a daily list item keeps them inside `paper` on the Hub).
  info.ai_summary = pop(kwargs, 'ai_summary');
  info.ai_keywords = pop(kwargs, 'ai_keywords');
  const organization = pop(kwargs, 'organization');
  info.organization = falsy(organization) ? null : asDict(organization, 'Organization(**organization)');
  info.project_page = pop(kwargs, 'projectPage');
  info.github_repo = pop(kwargs, 'githubRepo');
  info.github_stars = pop(kwargs, 'githubStars');
  // Forward compatibility: every other top-level key becomes an attribute, overwriting any of the above.
  return Object.assign(info, kwargs);
}
