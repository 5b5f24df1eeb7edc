import type { Reason } from './profile.js';

/** Why a paper is recommended, in one line of plain text (the API's `reason`; pages mark the names up themselves). */
export function reasonLine(reason: Reason | null): string {
  if (!reason) return 'Trending: no upvotes, saves or follows of yours yet';
  if (reason.kind === 'like') return `Like “${reason.title}” that you ${reason.signal}`;
  const { kind, label } = reason.follow;
  if (kind === 'search') return `Matches your followed search “${label}”`;
  return `You follow ${kind === 'author' ? label : `the category ${label}`}`;
}
