import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';
import { recordedAtomLookup, startArxivServer, type ArxivServer } from '../helpers/arxiv-server.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';

/**
 * A fuzzed server (see serveCommunity) for the enclosing suite, with an arXiv on loopback that answers lookups
 * from the recorded responses at once: a submission of an unknown id is told arXiv has no such paper. (An
 * arXiv that cannot be reached is a 502, and rightly so; that is the submission tests' business.)
 */
export function serveFuzzedSite(create: TestDatabase['create']): { db: Db; server: TestServer } {
  let arxiv: ArxivServer;
  beforeAll(async () => {
    arxiv = await startArxivServer(recordedAtomLookup());
  });
  afterAll(() => arxiv?.close());
  return serveCommunity(create, () => ({
    ARXIV_API_URL: arxiv.apiUrl,
    ARXIV_RETRIES: '0',
    ARXIV_INGEST_ENABLED: 'false',
  }));
}

/** One request the fuzzer sent that the server answered with a 5xx (or could not answer at all). */
export interface ServerFailure {
  request: string;
  status: number | string;
  answer: string;
}

/** Sends a request and records it as a failure when the answer is a 5xx or no answer comes. */
export function sendAndRecord(
  failures: ServerFailure[],
  label: string,
  url: string,
  init: RequestInit,
): Promise<Response | null> {
  return record(failures, label, () => fetch(url, { redirect: 'manual', ...init }));
}

/** Records a request's answer as a failure when it is a 5xx or none comes. */
export async function record(
  failures: ServerFailure[],
  label: string,
  send: () => Promise<Response>,
): Promise<Response | null> {
  try {
    const response = await send();
    const text = await response.text();
    if (response.status >= 500) {
      failures.push({ request: label.slice(0, 300), status: response.status, answer: text.slice(0, 300) });
    }
    return response;
  } catch (error) {
    failures.push({ request: label.slice(0, 300), status: 'no answer', answer: String(error).slice(0, 300) });
    return null;
  }
}

/** After a fuzz run: a member logs in with the form, upvotes a paper and comments on it, as on any day. */
export async function expectSiteStillWorks(db: Db, server: TestServer): Promise<void> {
  const paper = await storedPaper(db);
  const ada = await signedUp(db, server.url);
  await ada.page('/login');
  expect((await ada.post('/login', { email: ada.email, password: ada.password })).status).toBe(303);
  await ada.page(`/papers/${paper.id}`);
  expect((await ada.post('/vote', { paper: paper.id, direction: 'up' })).status).toBe(303);
  const commented = await ada.post('/comments', { paper: paper.id, body: 'A normal comment after the fuzz run.' });
  expect(commented.status).toBe(303);
  const page = await ada.page(`/papers/${paper.id}`);
  expect(page.status).toBe(200);
  expect(page.html).toContain('A normal comment after the fuzz run.');
}
