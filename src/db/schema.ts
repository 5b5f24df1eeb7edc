import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Dates are 'YYYY-MM-DD' text and timestamps ISO-8601 UTC text
 * on both databases, so the same queries and comparisons work everywhere.
 */
export interface PapersTable {
  id: string;
  title: string;
  abstract: string;
  /** JSON array of {name, affiliation?}, in author order. */
  authors: string;
  /** Author names joined by ", " for full-text search and compact listings. */
  author_names: string;
  /** JSON array of category codes, primary first. */
  categories: string;
  primary_category: string | null;
  published_on: string | null;
  revised_on: string | null;
  version: number;
  /** JSON array of {version, date}. */
  versions: string;
  doi: string | null;
  journal_ref: string | null;
  comments: string | null;
  license: string | null;
  github_url: string | null;
  project_url: string | null;
  featured_on: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  upvotes: Generated<number>;
  num_comments: Generated<number>;
  trending_score: Generated<number>;
  hidden: Generated<number>;
  created_at: string;
  modified_at: string;
  /** One-sentence summary of the abstract (src/enrich). */
  ai_summary: string | null;
  /** JSON array of keyphrases, best first. */
  ai_keywords: string | null;
  /** The modified_at of the content ai_summary and ai_keywords were computed from; null: not yet. */
  enriched_from: string | null;
  /** Stars of the GitHub repository github_url names, as last checked; null: unknown. */
  github_stars: number | null;
  /** The chat model's one-sentence summary (LLM_URL), shown instead of ai_summary while llm_summary_from is modified_at. */
  llm_summary: string | null;
  /** The modified_at of the content the model was asked about (with no llm_summary: its answer was unusable). */
  llm_summary_from: string | null;
}

/** A code link a member proposed for a paper, shown once approved. */
export interface CodeLinkProposalsTable {
  id: Generated<number>;
  paper_id: string;
  /** Canonical https URL of a GitHub or GitLab repository or a Hugging Face model, dataset or space. */
  url: string;
  proposed_by: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  created_at: string;
  decided_at: string | null;
}

/** Requests made to the chat model (LLM_URL) on one UTC day, against LLM_DAILY_BUDGET. */
export interface LlmRequestsTable {
  /** YYYY-MM-DD, UTC. */
  day: string;
  requests: number;
}

/** A GitHub repository papers link to, and when its stars are next checked. */
export interface GithubReposTable {
  /** https://github.com/owner/name, as papers.github_url holds it. */
  url: string;
  stars: number | null;
  /** The ETag of the last answer, sent as If-None-Match. */
  etag: string | null;
  status: Generated<'new' | 'ok' | 'missing' | 'error'>;
  /** ISO timestamp; '' for a repository never checked. */
  next_check_at: Generated<string>;
  checked_at: string | null;
}

export interface PaperAuthorsTable {
  paper_id: string;
  position: number;
  name: string;
  /** Lower-cased, accent-free name for author lookups. */
  name_key: string;
}

export interface PaperCategoriesTable {
  paper_id: string;
  position: number;
  category: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  unique_key: string | null;
  run_at: string;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  done_at: string | null;
  created_at: string;
}

export interface ArxivHarvestsTable {
  /** The OAI-PMH set, '' for the whole repository. */
  set_spec: string;
  from_day: string;
  until_day: string;
  status: 'running' | 'failed' | 'done';
  /** The token to ask for the next page with; null before the first page and once done. */
  resumption_token: string | null;
  pages: number;
  records: number;
  complete_list_size: number | null;
  last_error: string | null;
  started_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export type Role = 'member' | 'moderator' | 'admin';

export interface UsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  /** The public handle shown as "submitted by" and on comments. */
  username: string;
  /** `scrypt$N$r$p$salt$hash`; null for accounts that only log in by email link. */
  password_hash: string | null;
  role: Generated<Role>;
  banned_at: string | null;
  created_at: string;
  /** Null for an account signed up whose mailed link has not been followed yet. */
  email_confirmed_at: string | null;
  /** When the member deleted the account; the row stays, anonymised, for their comments and the moderation log. */
  deleted_at: Generated<string | null>;
}

/** Cookie sessions; only the SHA-256 of the cookie value is stored. */
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface LoginLinksTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface VotesTable {
  user_id: string;
  paper_id: string;
  created_at: string;
  /** 1, or 0 while the voter is banned: only counted votes make upvotes and trending. */
  counted: Generated<number>;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_id: string;
  user_id: string;
  parent_id: number | null;
  /** Markdown source. */
  body: string;
  /** `body` rendered and sanitised when written; NULL for rows from before migration 082 until back-filled. */
  body_html: string | null;
  hidden: Generated<number>;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

/** Append-only (enforced by triggers). */
export interface ModerationLogTable {
  id: Generated<number>;
  moderator_id: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: Generated<string>;
  created_at: string;
}

export interface RateLimitHitsTable {
  bucket: string;
  window_start: string;
  hits: number;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface LoginFailuresTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'disabled';
export type DigestFrequency = 'daily' | 'weekly';

export interface SubscribersTable {
  id: string;
  email: string;
  /** Lower-cased address: one subscription per mailbox. */
  email_key: string;
  frequency: DigestFrequency;
  include_top: number;
  /** JSON array of topics: arXiv categories and saved searches. */
  topics: string;
  /** Add a "For you" section when the address is a member's. */
  for_you: Generated<number>;
  status: SubscriberStatus;
  /** Hard bounces in a row; reset by a delivered message. */
  bounce_count: Generated<number>;
  last_error: string | null;
  last_error_at: string | null;
  account_mail_at: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

export type OutboxKind = 'digest' | 'confirm' | 'manage';
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface OutboxTable {
  id: Generated<number>;
  /** Unique per message, e.g. digest:daily:2026-11-28:<subscriber>; the Message-ID derives from it. */
  key: string;
  kind: OutboxKind;
  subscriber_id: string;
  /** The digest period (a day or an ISO week); null for account mail. */
  period: string | null;
  /** JSON: what the message shows (for digests, the sections with their paper ids). */
  content: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  message_id: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface EmbeddingModelsTable {
  id: string;
  kind: 'lsa' | 'transformers';
  dimensions: number;
  /** How many papers were stored when the model was fitted (the refit rule compares against it). */
  fitted_papers: Generated<number>;
  /** 1 for the model new vectors are computed with. */
  active: Generated<number>;
  revision: Generated<number>;
  created_at: string;
}

export interface EmbeddingModelDataTable {
  model_id: string;
  /** The serialised corpus-learned model, or where a transformers model's folder is (JSON). */
  data: Uint8Array;
}

export interface PaperEmbeddingsTable {
  key: Generated<number>;
  paper_id: string;
  model_id: string;
  /** Unit length: little-endian float32 bytes on SQLite, REAL[] on PostgreSQL. */
  vector: Uint8Array | number[];
  paper_modified_at: string;
  revision: number;
}

/** The row /readyz writes (id 1). */
export interface HealthCheckTable {
  id: number;
  checked_at: string;
}

/** A saved paper: once per member and paper, whatever collections hold it. */
export interface LibraryItemsTable {
  user_id: string;
  paper_id: string;
  note: Generated<string>;
  read_at: string | null;
  saved_at: string;
}

export interface CollectionsTable {
  /** Random and unguessable. */
  id: string;
  user_id: string;
  name: string;
  description: Generated<string>;
  /** 1: a shareable page and feed; 0 (default): only its owner sees it. */
  public: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface CollectionPapersTable {
  collection_id: string;
  paper_id: string;
  added_at: string;
}

export type FollowKind = 'author' | 'category' | 'search';

export interface FollowsTable {
  user_id: string;
  kind: FollowKind;
  /** An author key, a category code, or a search query. */
  target: string;
  created_at: string;
  /** 1: also a topic of the member's digest. */
  in_digest: Generated<number>;
}

/** A member's private "For you" feed: the hash of the secret in its URL. */
export interface EmailChangesTable {
  token_hash: string;
  user_id: string;
  new_email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PersonalFeedsTable {
  user_id: string;
  token_hash: string;
  created_at: string;
}

/** "Not interested": the negative signal of "For you". */
export interface PaperDismissalsTable {
  user_id: string;
  paper_id: string;
  created_at: string;
}

/** Papers per stemmed word over an even sample of the corpus (see migration 130). */
export interface TermStatisticsTable {
  term: string;
  documents: number;
}

export interface PaperThumbnailsTable {
  paper_id: string;
  status: 'ready' | 'failed';
  /** WebP bytes of the first page, when ready. */
  image: Buffer | null;
  error: string | null;
  rendered_at: string;
}

export interface Schema {
  personal_feeds: PersonalFeedsTable;
  email_changes: EmailChangesTable;
  papers: PapersTable;
  github_repos: GithubReposTable;
  llm_requests: LlmRequestsTable;
  code_link_proposals: CodeLinkProposalsTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  jobs: JobsTable;
  arxiv_harvests: ArxivHarvestsTable;
  schema_migrations: SchemaMigrationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_links: LoginLinksTable;
  api_tokens: ApiTokensTable;
  votes: VotesTable;
  comments: CommentsTable;
  moderation_log: ModerationLogTable;
  rate_limit_hits: RateLimitHitsTable;
  settings: SettingsTable;
  login_failures: LoginFailuresTable;
  subscribers: SubscribersTable;
  outbox: OutboxTable;
  embedding_models: EmbeddingModelsTable;
  embedding_model_data: EmbeddingModelDataTable;
  paper_embeddings: PaperEmbeddingsTable;
  health_check: HealthCheckTable;
  paper_thumbnails: PaperThumbnailsTable;
  library_items: LibraryItemsTable;
  collections: CollectionsTable;
  collection_papers: CollectionPapersTable;
  follows: FollowsTable;
  paper_dismissals: PaperDismissalsTable;
  term_statistics: TermStatisticsTable;
}
