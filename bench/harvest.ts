/**
 * Harvest throughput: OAI-PMH ListRecords pages in arXiv's metadataPrefix=arXiv format, built
 * from ../shared/data/arxiv-97k.jsonl.gz (1,000 records a page, chained by resumption tokens),
 * served by a local node:http server and harvested into a fresh SQLite file with no politeness
 * delay. Measured in the same run: the time to merely parse the same bytes with the XML parser
 * (the anchor), and to validate, parse and normalise them without storing. CPU seconds are the
 * whole process's: the harvest parses on a worker thread while the main thread stores.
 * Prints one JSON object. BENCH_RECORDS (default 50000, "all" for every record) sets the size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { harvestWindow } from '../src/ingest/arxiv/harvest.js';
import { parseListRecords } from '../src/ingest/arxiv/oai.js';
import { parseXmlUnchecked } from '../src/ingest/arxiv/xml.js';
import { orderCategories } from '../src/ingest/normalize.js';
import { countPapers } from '../src/store/papers.js';
import { oaiListPage, oaiRecord } from '../test/helpers/oai-listing.js';
import { printResult } from './_common.js';
import { corpusLines } from './lib/corpus.js';

const PER_PAGE = 1000;
const LIMIT = process.env.BENCH_RECORDS === 'all' ? Infinity : Number(process.env.BENCH_RECORDS ?? 50_000);
const TARGET_RECORDS_PER_S = 3000;

function oaiPage(records: string[], index: number, pageCount: number, total: number): Buffer {
  const nextToken = index === pageCount - 1 ? null : `bench|${index + 1}`;
  return Buffer.from(oaiListPage(records, { cursor: index * PER_PAGE, completeListSize: total, nextToken }));
}

async function buildPages(): Promise<{ pages: Buffer[]; records: number }> {
  const records: string[] = [];
  for await (const line of corpusLines()) {
    records.push(oaiRecord({ ...line, categories: orderCategories(line.categories ?? []) }));
    if (records.length >= LIMIT) break;
  }
  const pageCount = Math.ceil(records.length / PER_PAGE);
  const pages = Array.from({ length: pageCount }, (_, i) =>
    oaiPage(records.slice(i * PER_PAGE, (i + 1) * PER_PAGE), i, pageCount, records.length),
  );
  return { pages, records: records.length };
}

/** Wall-clock seconds, and CPU seconds of this process (a fairer figure on a shared, busy machine). */
function stopwatch() {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - wall) / 1e9, cpu: (used.user + used.system) / 1e6 };
  };
}

const { pages } = await buildPages();
const bytes = pages.reduce((sum, page) => sum + page.length, 0);

// Anchor: the XML parser alone over the same bytes (decoded to text as the client does).
let elapsed = stopwatch();
for (const page of pages) parseXmlUnchecked(page.toString('utf8'));
const parseOnly = elapsed();

// Validation, parsing and normalisation into paper records, without HTTP or storage.
elapsed = stopwatch();
for (const page of pages)
  parseListRecords({ url: 'bench', status: 200, contentType: 'text/xml', body: page.toString('utf8') });
const parseAndNormalise = elapsed();

const server = createServer((req, res) => {
  const token = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('resumptionToken');
  const page = pages[token ? Number(token.split('|')[1]) : 0];
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(page.length) });
  res.end(page);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-harvest-'));
const db = await openDatabase(join(dir, 'bench.db'));
await migrate(db);
const config = loadConfig({
  ARXIV_OAI_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`,
  ARXIV_DELAY_MS: '0',
  LOG_LEVEL: 'silent',
});

elapsed = stopwatch();
const summary = await harvestWindow(
  { db, config, logger: pino({ level: 'silent' }) },
  { set: 'cs', from: '2000-01-01', until: '2026-12-31' },
);
const harvest = elapsed();
const stored = await countPapers(db);

await db.close();
server.close();
rmSync(dir, { recursive: true, force: true });

const rate = (seconds: number) => Math.round(summary.records / seconds);
const storedPerS = rate(harvest.wall);
printResult({
  benchmark: 'harvest',
  database: 'sqlite',
  records: summary.records,
  stored,
  pages: summary.pages,
  megabytes: Math.round(bytes / 1e5) / 10,
  anchor_xml_parse_s: Number(parseOnly.wall.toFixed(3)),
  anchor_xml_parse_records_per_s: rate(parseOnly.wall),
  parse_and_normalise_s: Number(parseAndNormalise.wall.toFixed(3)),
  harvest_and_store_s: Number(harvest.wall.toFixed(3)),
  harvest_and_store_records_per_s: storedPerS,
  harvest_vs_parse_time: Number((harvest.wall / parseOnly.wall).toFixed(2)),
  cpu_s: {
    anchor_xml_parse: parseOnly.cpu,
    parse_and_normalise: parseAndNormalise.cpu,
    harvest_and_store: harvest.cpu,
  },
  harvest_and_store_records_per_cpu_s: rate(harvest.cpu),
  store_share_of_harvest_cpu: Number(Math.max(0, 1 - parseAndNormalise.cpu / harvest.cpu).toFixed(2)),
  target_records_per_s: TARGET_RECORDS_PER_S,
  meets_target: storedPerS >= TARGET_RECORDS_PER_S,
});
