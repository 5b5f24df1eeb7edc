import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FolderImport, folderImports, layeringViolations, runtimeSpecifiers } from './helpers/import-graph.js';

/**
 * Today's imports against the layering (issue 12, item 1), as `file -> import`. The code moves of issue 12 remove
 * them; this list may only shrink: the test fails on a new violation and on a listed one that no longer exists.
 */
const KNOWN_VIOLATIONS = [
  // HTTP plumbing (sessions, CSRF, page rendering) and route wiring that belong to web/ and api/.
  'src/community/http.ts -> ../http/reply.js',
  'src/community/http.ts -> ../web/templates/layout.js',
  'src/community/routes.ts -> ../web/handlers/account_show.js',
  'src/community/routes.ts -> ../web/handlers/account_signup.js',
  'src/community/routes.ts -> ../web/handlers/comment_write.js',
  'src/community/routes.ts -> ../web/handlers/moderation.js',
  'src/community/routes.ts -> ../web/handlers/paper_submit.js',
  'src/community/routes.ts -> ../web/handlers/paper_vote.js',
  'src/community/routes.ts -> ../web/handlers/papers_trending.js',
  'src/community/routes.ts -> ../web/handlers/session_link.js',
  'src/community/routes.ts -> ../web/handlers/session_login.js',
  'src/community/routes.ts -> ../web/handlers/session_logout.js',
  // Parameter parsing that search takes from the API.
  'src/search/params.ts -> ../api/params.js',
  // Digest jobs registered by jobs/, while digest/ uses the scheduler and worker.
  'src/digest/schedule.ts -> ../jobs/scheduler.js',
  'src/digest/send.ts -> ../jobs/worker.js',
  'src/jobs/tasks.ts -> ../digest/jobs.js',
  'src/jobs/tasks.ts -> ../digest/schedule.js',
  // The store reaching up for id normalisation and the trending formula.
  'src/store/papers.ts -> ../ingest/normalize.js',
  'src/store/votes.ts -> ../rank/trending.js',
];

describe('dependencies point one way: cli → app → web / api / feeds / http → domain → store → db, config', () => {
  const violations = layeringViolations(folderImports(fileURLToPath(new URL('../src', import.meta.url))));

  it('no file imports a higher layer, and no two folders import each other, beyond the known violations', () => {
    const known = new Set(KNOWN_VIOLATIONS);
    const unexpected = [...violations].filter(([key]) => !known.has(key)).map(([key, why]) => `${key}: ${why}`);
    expect(unexpected, 'imports against the layering').toEqual([]);
  });

  it('every known violation still exists, so a fixed one leaves KNOWN_VIOLATIONS', () => {
    const fixed = KNOWN_VIOLATIONS.filter((key) => !violations.has(key));
    expect(fixed, 'fixed: delete these from KNOWN_VIOLATIONS').toEqual([]);
  });
});

describe('the import checker', () => {
  it('reads multi-line imports, re-exports and literal dynamic imports, and skips type-only ones', () => {
    const source = [
      "import {\n  a,\n  b,\n} from './multi-line.js';",
      "import type { T } from './type-only.js';",
      "import { type U, type V } from './all-names-typed.js';",
      "import { type W, x } from './one-name-typed.js';",
      "import './side-effect.js';",
      "// import { y } from './commented-out.js';",
      "const s = \"import { z } from './in-a-string.js'\";",
      "export { c } from './re-export.js';",
      "export type { D } from './type-re-export.js';",
      "export * from './star.js';",
      "const lazy = await import('./dynamic.js');",
      'const computed = await import("./" + s);',
    ].join('\n');
    expect(runtimeSpecifiers('example.ts', source)).toEqual([
      './multi-line.js',
      './one-name-typed.js',
      './side-effect.js',
      './re-export.js',
      './star.js',
      './dynamic.js',
    ]);
  });

  it('names the file and the import of an upward import, an unlisted folder and a same-layer cycle', () => {
    const edge = (from: string, to: string): FolderImport => ({
      ...{ file: `src/${from}/x.ts`, specifier: `../${to}/y.js` },
      ...{ from, to },
    });
    const violations = layeringViolations([
      edge('store', 'web'),
      edge('web', 'store'),
      edge('db', 'text'),
      edge('search', 'rank'),
      edge('rank', 'search'),
    ]);
    expect(Object.fromEntries(violations)).toEqual({
      'src/store/x.ts -> ../web/y.js': 'store, the store, must not import web, an HTTP surface',
      'src/db/x.ts -> ../text/y.js': 'src/text is in no layer: add it to LAYERS in test/helpers/import-graph.ts',
      'src/search/x.ts -> ../rank/y.js': 'search and rank import each other',
      'src/rank/x.ts -> ../search/y.js': 'rank and search import each other',
    });
  });
});
