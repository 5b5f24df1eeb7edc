import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type FolderImport,
  folderImports,
  layeringViolations,
  mutualPairs,
  runtimeSpecifiers,
} from './helpers/import-graph.js';

describe('dependencies point one way: cli → app → web / api / feeds / http → domain → store → db, config', () => {
  const imports = folderImports(fileURLToPath(new URL('../src', import.meta.url)));

  it('no file imports a higher layer, and no two folders of one layer import each other', () => {
    const violations = [...layeringViolations(imports)].map(([key, why]) => `${key}: ${why}`);
    expect(violations, 'imports against the layering').toEqual([]);
  });

  it('no two top-level folders import each other', () => {
    expect(mutualPairs(imports), 'folders that import each other').toEqual([]);
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
      'const s = "import { z } from \'./in-a-string.js\'";',
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
