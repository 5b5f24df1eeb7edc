import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');
/** A comparison with a dialect's name, a lookup by it or a switch on it. */
const BRANCH_ON_NAME = /\bdialect\s*[!=]==?|\[\s*[\w.]*\bdialect\s*\]|switch\s*\(\s*[\w.]*\bdialect\s*\)/;

describe('dialect differences', () => {
  it('are capabilities of src/db/dialect.ts: no code outside src/db branches on the dialect name', () => {
    const branches = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('db/'))
      .flatMap((file) =>
        readFileSync(join(SRC, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (BRANCH_ON_NAME.test(line) ? [`src/${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(branches).toEqual([]);
  });
});
