import type { AppContext } from '../app/context.js';
import { withTransaction } from '../db/transaction.js';
import { repoPath } from '../enrich/github.js';
import { HttpError } from '../errors.js';
import { parsePaperId } from '../ingest/normalize.js';
import { type ApprovedCodeLink, decideCodeLinkProposal, insertCodeLinkProposal } from '../store/code-link-proposals.js';
import { appendModerationLog } from '../store/moderation.js';
import { codeLinkOf } from '../store/paper-text.js';
import { getPaper, type Paper } from '../store/papers.js';
import type { Auth } from './credentials.js';
import { assertPastNewAccountDelay } from './members.js';
import { parseReason } from './moderate.js';
import { enforceRateLimit } from './rate-limit.js';

/** Longer than any repository, model, dataset or space address. */
const MAX_URL_LENGTH = 300;

const NOT_A_CODE_LINK =
  'Propose an https:// address of a GitHub or GitLab repository, or of a Hugging Face model, dataset or space.';

/**
 * The canonical address of a code link a member typed: https://github.com/owner/name, a GitLab project,
 * a Hugging Face model, dataset or space; null for anything else (another host, another scheme, a page).
 */
export function canonicalCodeLink(input: string): string | null {
  const text = input.trim().replace(/\/+$/, '');
  if (text.length > MAX_URL_LENGTH || !/^https:\/\//i.test(text)) return null;
  const github = /^https:\/\/(?:www\.)?github\.com\/([^/?#\s]+)\/([^/?#\s]+)$/i.exec(text);
  if (github) {
    const url = `https://github.com/${github[1]}/${github[2]!.replace(/\.git$/i, '')}`;
    return repoPath(url) ? url : null;
  }
  // The whole address must be the project's: nothing left over that the canonical form drops.
  const code = codeLinkOf(text);
  return code && code.url.toLowerCase() === text.replace(/^https:\/\/www\./i, 'https://').toLowerCase()
    ? code.url
    : null;
}

/**
 * A member proposes a code link for a paper: it waits for a moderator and is shown only once
 * approved. Limited like submissions (RATE_LIMIT_SUBMIT) and closed to brand-new accounts.
 */
export async function proposeCodeLink(
  ctx: Pick<AppContext, 'db' | 'config' | 'hitCounters'>,
  user: Auth['user'],
  input: { paper: string; url: string },
  options: { ip: string; now?: Date },
): Promise<{ paper: Paper; url: string }> {
  const now = options.now ?? new Date();
  assertPastNewAccountDelay(ctx.config, user, 'propose code links', now);
  await enforceRateLimit(ctx, 'submit', { account: user.id, ip: options.ip }, now);
  const id = parsePaperId(input.paper)?.id;
  const paper = id ? await getPaper(ctx.db, id) : null;
  if (!paper || paper.hidden) throw new HttpError(404, `There is no paper ${input.paper.slice(0, 100)} here.`);
  const url = canonicalCodeLink(input.url);
  if (!url) throw new HttpError(400, NOT_A_CODE_LINK);
  if (url === paper.githubUrl || paper.codeLinks.some((link) => link.url === url))
    throw new HttpError(409, 'The paper already links there.');
  if (!(await insertCodeLinkProposal(ctx.db, { paperId: paper.id, url, proposedBy: user.id }, now)))
    throw new HttpError(409, 'That link was already proposed for this paper.');
  return { paper, url };
}

/** Approves or rejects a proposed code link, and logs it; returns the paper's id. */
export async function decideCodeLink(
  { db }: Pick<AppContext, 'db'>,
  moderator: Auth['user'],
  proposalId: number,
  approve: boolean,
  reason: unknown,
): Promise<string> {
  const why = parseReason(reason);
  return withTransaction(db, async (tx) => {
    const decided = await decideCodeLinkProposal(tx, proposalId, approve ? 'approved' : 'rejected');
    if (!decided) throw new HttpError(404, 'There is no such proposal waiting.');
    await appendModerationLog(tx, {
      moderatorId: moderator.id,
      action: approve ? 'approve_code_link' : 'reject_code_link',
      targetType: 'paper',
      targetId: decided.paperId,
      reason: why ? `${decided.url}: ${why}` : decided.url,
    });
    return decided.paperId;
  });
}

/** The paper with its approved links: a GitHub one (with its stars) when the text named none, the others beside its own. */
export function withApprovedLinks(paper: Paper, approved: ApprovedCodeLink[]): Paper {
  let result = paper;
  for (const link of approved) {
    if (repoPath(link.url)) {
      if (!result.githubUrl) result = { ...result, githubUrl: link.url, githubStars: link.stars };
      continue;
    }
    const code = codeLinkOf(link.url);
    if (code && !result.codeLinks.some((c) => c.url === code.url))
      result = { ...result, codeLinks: [...result.codeLinks, code] };
  }
  return result;
}
