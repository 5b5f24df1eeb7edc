/**
 * Email digests at scale: 100,000 subscribers (mixed top-paper and topic subscriptions) on the
 * 97k-paper arXiv corpus. Measures planning + rendering every digest of one day (target < 2 min),
 * then delivery of a sample to a local SMTP sink through the outbox (claim → send → mark sent)
 * next to bare nodemailer sending the same rendered messages over the same pooled settings in
 * the same run (target ≥ 70% of its rate). Prints one JSON object.
 * Then BENCH_FOR_YOU (default 1000) members subscribe too, each with a "For you" section (5 saved papers of
 * the days before, a followed category that is also a digest topic), and the day is planned again: the
 * extra time per member is reported next to the time per plain subscriber of the first plan (the anchor).
 * BENCH_SUBSCRIBERS (default 100000) and BENCH_DELIVERY_SAMPLE (default 5000) scale it;
 * BENCH_DATABASE=postgres runs it on a fresh database on TEST_DATABASE_URL instead of SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Insertable } from 'kysely';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { loadConfig, type Config } from '../src/config/index.js';
import { openDatabase, type Db } from '../src/db/connection.js';
import type { PapersTable } from '../src/db/schema.js';
import { migrate } from '../src/db/migrations/index.js';
import { composeMail } from '../src/digest/message.js';
import { planDigests } from '../src/digest/plan.js';
import { deliverDue } from '../src/digest/send.js';
import { createMailTransport } from '../src/mail/transport.js';
import { listOutbox } from '../src/store/outbox.js';
import { getPapers, type Paper } from '../src/store/papers.js';
import { getSubscribers } from '../src/store/subscriptions.js';
import { testDatabases } from '../test/helpers/db.js';
import { corpusLines } from './lib/corpus.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const SAMPLE = Number(process.env.BENCH_DELIVERY_SAMPLE ?? 5000);
const FOR_YOU_MEMBERS = Number(process.env.BENCH_FOR_YOU ?? 1000);
/** The corpus's busiest day: 713 papers published, featured here with made-up upvotes. */
const DAY = '2026-06-02';
const FEATURED = 120;
const CONNECTIONS = 5;
const TOPICS = [
  'cs.CL',
  'cs.CV',
  'cs.LG',
  'cs.AI',
  'cs.RO',
  'cs.IR',
  'cs.CR',
  'cs.HC',
  'eess.AS',
  'stat.ML',
  'cs.SD',
  'cs.SE',
  'efficient attention',
  'diffusion models',
  'reinforcement learning',
  'large language models',
  'retrieval augmented generation',
  'vision transformer',
  'speech recognition',
  'graph neural networks',
  'federated learning',
  'protein',
  'autonomous driving',
  'reasoning',
  'benchmark',
  'multimodal',
  'knowledge distillation',
  'adversarial robustness',
  'medical imaging',
  'agents',
];

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 10) / 100;
}

/** A small deterministic generator, so every run builds the same subscribers. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Loads the corpus with multi-row inserts straight into the papers table (the search index
 * fills by trigger): digests read only papers, and this is many times faster than upserting.
 */
async function importCorpus(db: Db): Promise<number> {
  const at = new Date().toISOString();
  let batch: Insertable<PapersTable>[] = [];
  let count = 0;
  const flush = async () => {
    await db.kysely
      .insertInto('papers')
      .values(batch)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    count += batch.length;
    batch = [];
  };
  for await (const p of corpusLines()) {
    const authors = (p.authors ?? []).map((name) => ({ name }));
    const categories = p.categories ?? [];
    batch.push({
      id: p.id,
      title: p.title,
      abstract: p.abstract,
      authors: JSON.stringify(authors),
      author_names: (p.authors ?? []).join(', '),
      categories: JSON.stringify(categories),
      primary_category: categories[0] ?? null,
      published_on: p.published ?? null,
      version: 1,
      versions: '[]',
      created_at: at,
      modified_at: at,
    });
    if (batch.length === 500) await flush();
  }
  if (batch.length > 0) await flush();
  return count;
}

async function featureDay(db: Db, rand: () => number): Promise<void> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select('id')
    .where('published_on', '=', DAY)
    .orderBy('id')
    .limit(FEATURED)
    .execute();
  for (const { id } of rows) {
    await db.kysely
      .updateTable('papers')
      .set({ featured_on: DAY, submitted_at: `${DAY}T12:00:00.000Z`, upvotes: Math.floor(rand() ** 3 * 200) })
      .where('id', '=', id)
      .execute();
  }
}

/** 40% top papers only, 30% topics only, 30% both; one to four topics each. */
async function addSubscribers(db: Db, rand: () => number): Promise<void> {
  const at = new Date().toISOString();
  for (let start = 0; start < SUBSCRIBERS; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(start + 1000, SUBSCRIBERS); i++) {
      const kind = rand();
      const topics =
        kind < 0.4
          ? []
          : [
              ...new Set(
                Array.from({ length: 1 + Math.floor(rand() * 4) }, () => TOPICS[Math.floor(rand() * TOPICS.length)]!),
              ),
            ];
      rows.push({
        id: `s${String(i).padStart(7, '0')}`,
        email: `reader${i}@bench.example`,
        email_key: `reader${i}@bench.example`,
        frequency: 'daily' as const,
        include_top: kind < 0.4 || kind >= 0.7 ? 1 : 0,
        topics: JSON.stringify(topics),
        status: 'active' as const,
        created_at: at,
        updated_at: at,
        confirmed_at: at,
      });
    }
    await db.kysely.insertInto('subscribers').values(rows).execute();
  }
}

/** Members subscribed with "For you": each saved 5 papers of the week before the day and follows a category as a digest topic. */
async function addForYouMembers(db: Db, rand: () => number): Promise<void> {
  const earlier = await db.kysely
    .selectFrom('papers')
    .select('id')
    .where('published_on', '>=', '2026-05-26')
    .where('published_on', '<', DAY)
    .orderBy('id')
    .execute();
  const at = new Date().toISOString();
  for (let start = 0; start < FOR_YOU_MEMBERS; start += 500) {
    const members = Array.from({ length: Math.min(500, FOR_YOU_MEMBERS - start) }, (_, i) => `m${start + i}`);
    await db.kysely
      .insertInto('users')
      .values(
        members.map((id) => ({
          id,
          email: `${id}@bench.example`,
          username: id,
          password_hash: null,
          role: 'member' as const,
          banned_at: null,
          created_at: at,
          email_confirmed_at: at,
        })),
      )
      .execute();
    const saves = members.flatMap((id) => {
      const picked = new Set(Array.from({ length: 5 }, () => earlier[Math.floor(rand() * earlier.length)]!.id));
      return [...picked].map((paper_id) => ({ user_id: id, paper_id, saved_at: at, read_at: null }));
    });
    await db.kysely.insertInto('library_items').values(saves).execute();
    await db.kysely
      .insertInto('follows')
      .values(
        members.map((id) => ({
          user_id: id,
          kind: 'category' as const,
          target: TOPICS[Math.floor(rand() * 12)]!,
          created_at: at,
          in_digest: 1,
        })),
      )
      .execute();
    await db.kysely
      .insertInto('subscribers')
      .values(
        members.map((id) => ({
          id: `f${id}`,
          email: `${id}@bench.example`,
          email_key: `${id}@bench.example`,
          frequency: 'daily' as const,
          include_top: 1,
          topics: '[]',
          for_you: 1,
          status: 'active' as const,
          created_at: at,
          updated_at: at,
          confirmed_at: at,
        })),
      )
      .execute();
  }
}

/** Renders every planned digest exactly as the sender would; keeps the first `keep` messages. */
async function renderAll(
  db: Db,
  config: Config,
  keep: number,
): Promise<{ rendered: number; bytes: number; kept: Mail.Options[] }> {
  const rows = await listOutbox(db, { kind: 'digest' });
  const papers = new Map<string, Paper>();
  const ids = [
    ...new Set(
      rows.flatMap((r) => (r.content as { sections: { paperIds: string[] }[] }).sections.flatMap((s) => s.paperIds)),
    ),
  ];
  for (const p of await getPapers(db, ids)) papers.set(p.id, p);
  const kept: Mail.Options[] = [];
  let bytes = 0;
  const now = new Date();
  for (let i = 0; i < rows.length; i += 5000) {
    const page = rows.slice(i, i + 5000);
    const subscribers = await getSubscribers(
      db,
      page.map((r) => r.subscriberId),
    );
    for (const row of page) {
      const mail = composeMail(row, subscribers.get(row.subscriberId)!, papers, config, now)!;
      bytes += String(mail.html).length + String(mail.text).length;
      if (kept.length < keep) kept.push(mail);
    }
  }
  return { rendered: rows.length, bytes, kept };
}

async function startSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const ROUNDS = 5;
const WARM_UP = 100;

/**
 * Delivers SAMPLE messages both ways in alternating rounds, so a change in the machine's load
 * during the run weighs on both alike: through the outbox (claim → render → send → mark sent)
 * and with bare nodemailer handed the same rendered messages, over the same pooled settings.
 */
async function compareDelivery(
  db: Db,
  config: Config,
  url: string,
  messages: Mail.Options[],
): Promise<{ sent: number; outboxSeconds: number; bareSeconds: number }> {
  const ours = createMailTransport(config);
  const bare = nodemailer.createTransport({ url, pool: true, maxConnections: CONNECTIONS });
  const perRound = Math.ceil(SAMPLE / ROUNDS);
  const deps = { db, transport: ours, config, logger: pino({ level: 'silent' }) };
  // Warm both paths up on the first WARM_UP messages; both then send the next SAMPLE (the outbox in id order).
  await deliverDue(deps, { maxMessages: WARM_UP });
  await Promise.all(messages.slice(0, WARM_UP).map((m) => bare.sendMail(m)));
  let sent = 0;
  let outboxSeconds = 0;
  let bareSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    sent += (await deliverDue(deps, { maxMessages: perRound })).sent;
    outboxSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    await Promise.all(
      messages.slice(WARM_UP + round * perRound, WARM_UP + (round + 1) * perRound).map((m) => bare.sendMail(m)),
    );
    bareSeconds += (performance.now() - t) / 1000;
  }
  ours.close();
  bare.close();
  return { sent, outboxSeconds, bareSeconds };
}

async function openBenchDatabase(): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE === 'postgres') {
    const postgres = testDatabases().find((t) => t.dialect === 'postgres');
    if (!postgres) throw new Error('BENCH_DATABASE=postgres needs TEST_DATABASE_URL');
    const db = await postgres.create();
    return { db, cleanup: () => db.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-digest-'));
  const db = await openDatabase(join(dir, 'bench.db'));
  await migrate(db);
  return {
    db,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const { db, cleanup } = await openBenchDatabase();
const sink = await startSink();
const config = loadConfig({
  SMTP_URL: sink.url,
  SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
  BASE_URL: 'https://papers.example.org',
  MAIL_FROM: 'dailypapers <digest@papers.example.org>',
  LOG_LEVEL: 'silent',
});
const rand = random(42);
try {
  let t = performance.now();
  const papers = await importCorpus(db);
  await featureDay(db, rand);
  await addSubscribers(db, rand);
  const setupSeconds = seconds(t);

  t = performance.now();
  const plan = await planDigests(db, config, 'daily', DAY);
  const planSeconds = seconds(t);

  await addForYouMembers(db, rand);
  await db.kysely.deleteFrom('outbox').execute();
  t = performance.now();
  const withForYou = await planDigests(db, config, 'daily', DAY);
  const planWithForYouSeconds = seconds(t);
  const forYouSections = await db.kysely
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('content', 'like', '%"title":"For you"%')
    .executeTakeFirstOrThrow();
  t = performance.now();
  const render = await renderAll(db, config, WARM_UP + SAMPLE);
  const renderSeconds = seconds(t);

  const delivery = await compareDelivery(db, config, sink.url, render.kept);
  const outboxRate = delivery.sent / delivery.outboxSeconds;
  const bareRate = SAMPLE / delivery.bareSeconds;

  console.log(
    JSON.stringify(
      {
        benchmark: 'digest',
        database: db.dialect,
        papers,
        day: DAY,
        subscribers: SUBSCRIBERS,
        planned: plan.planned,
        skippedEmpty: plan.empty,
        setupSeconds,
        planSeconds,
        forYou: {
          members: FOR_YOU_MEMBERS,
          sections: Number(forYouSections.n),
          planned: withForYou.planned,
          planWithForYouSeconds,
          msPerMember: Math.round(((planWithForYouSeconds - planSeconds) * 1e6) / FOR_YOU_MEMBERS) / 1000,
          anchorMsPerPlainSubscriber: Math.round((planSeconds * 1e6) / SUBSCRIBERS) / 1000,
        },
        renderSeconds,
        planPlusRenderSeconds: Math.round((planSeconds + renderSeconds) * 100) / 100,
        planPlusRenderTargetSeconds: 120,
        averageMessageKiB: Math.round(render.bytes / render.rendered / 102.4) / 10,
        delivery: {
          sample: SAMPLE,
          sent: delivery.sent,
          rounds: ROUNDS,
          smtpConnections: CONNECTIONS,
          outboxPerSecond: Math.round(outboxRate),
          bareNodemailerPerSecond: Math.round(bareRate),
          ratio: Math.round((outboxRate / bareRate) * 100) / 100,
          ratioTarget: 0.7,
        },
      },
      null,
      2,
    ),
  );
} finally {
  await sink.close();
  await cleanup();
}
