import type { Db } from '../db/connection.js';
import { papersToSummarizeWithLlm, writeLlmSummary } from '../store/enrichments.js';
import { llmRequestsMade, spendLlmRequest } from '../store/llm-requests.js';
import { askForSummary, type ChatSettings } from './llm.js';

/** Papers asked about per run at most, one request at a time: a run every 5 minutes stays short. */
export const LLM_BATCH = 100;

export interface LlmRun {
  summarized: number;
  /** Papers whose answer could not be used: they keep the extractive summary. */
  unusable: number;
  /** Why the run stopped before its papers were done (budget, a failing server); null when it was not. */
  stopped: string | null;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Asks the chat model for the summaries of the newest papers not asked about since they changed, within
 * what is left of the day's budget (counted in the database, retries included). A summary replaces the
 * extractive one on pages and in the API; an unusable answer leaves it; a failing server or a spent
 * budget stops the run, and the papers left wait for the next.
 */
export async function summarizeWithLlm(
  db: Db,
  settings: ChatSettings,
  options: { now?: () => Date; signal?: AbortSignal; batch?: number } = {},
): Promise<LlmRun> {
  const now = options.now ?? (() => new Date());
  const run: LlmRun = { summarized: 0, unusable: 0, stopped: null };
  const left = settings.dailyBudget - (await llmRequestsMade(db, utcDay(now())));
  if (left <= 0) return { ...run, stopped: 'the daily budget is spent' };
  const spend = () => spendLlmRequest(db, utcDay(now()), settings.dailyBudget);
  for (const paper of await papersToSummarizeWithLlm(db, Math.min(left, options.batch ?? LLM_BATCH))) {
    const answer = await askForSummary(settings, paper, spend, options.signal);
    if (answer.kind === 'stop') {
      run.stopped = answer.reason;
      break;
    }
    await writeLlmSummary(db, paper.id, paper.modifiedAt, answer.kind === 'summary' ? answer.text : null);
    if (answer.kind === 'summary') run.summarized++;
    else run.unusable++;
  }
  return run;
}
