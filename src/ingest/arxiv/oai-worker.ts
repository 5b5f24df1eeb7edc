/** Worker thread entry of OaiPageParser: parses OAI-PMH answers off the main thread. */
import { parentPort } from 'node:worker_threads';
import type { ArxivResponse } from './client.js';
import { describeParseFailure } from './oai-parser.js';
import { parseListRecords } from './oai.js';

parentPort!.on('message', ({ id, response }: { id: number; response: ArxivResponse }) => {
  try {
    parentPort!.postMessage({ id, page: parseListRecords(response) });
  } catch (error) {
    parentPort!.postMessage({ id, failure: describeParseFailure(error) });
  }
});
