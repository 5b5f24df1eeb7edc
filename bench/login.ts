/**
 * Whether a failed login takes as long for an unknown email as for a known one with a wrong password
 * (so the time does not tell which emails have accounts). Anchor: the known email's median; the
 * figure is the unknown email's median as a ratio of it (1.0 is alike; the audit measured 10 ms
 * against 430 ms before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate } from '../src/community/accounts.js';
import { hashPassword } from '../src/community/passwords.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { createUser } from '../src/store/users.js';
import { printResult, round } from './_common.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-login-'));
const db = await openDatabase(join(dir, 'bench.db'));
try {
  await migrate(db);
  const passwordHash = await hashPassword('the right password');
  await createUser(db, { email: 'owner@example.org', username: 'owner', passwordHash });
  const refusalMs = async (email: string) => {
    const started = performance.now();
    await authenticate(db, email, 'a wrong password').catch(() => {});
    return performance.now() - started;
  };
  await refusalMs('warm-up@example.org');
  const known: number[] = [];
  const unknown: number[] = [];
  // Interleaved, so a change in the machine's load falls on both alike.
  for (let i = 0; i < ROUNDS; i++) {
    known.push(await refusalMs('owner@example.org'));
    unknown.push(await refusalMs(`nobody${i}@example.org`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  printResult({
    bench: 'login',
    rounds: ROUNDS,
    anchor_known_email_wrong_password_ms: round(median(known), 1),
    unknown_email_ms: round(median(unknown), 1),
    unknown_to_known_ratio: round(median(unknown) / median(known), 3),
  });
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
