// The import graph of src/ between its top-level folders, and the layering rule it must follow (DESIGN.md:
// cli → app → web / api / feeds / http → domain folders → store → db, config).
// Used by test/architecture.test.ts and `npm run deps`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseSync } from 'oxc-parser';

/** Highest layer first; a folder may import its own layer and the layers below it, never one above. */
export const LAYERS: readonly { name: string; folders: readonly string[] }[] = [
  { name: 'the CLI', folders: ['cli'] },
  { name: 'the composition root', folders: ['app'] },
  { name: 'an HTTP surface', folders: ['web', 'api', 'feeds', 'http'] },
  {
    name: 'a domain folder',
    folders: [
      'community',
      'search',
      'rank',
      'recommend',
      'digest',
      'ingest',
      'jobs',
      'mail',
      'library',
      'enrich',
      'thumbnails',
    ],
  },
  { name: 'the store', folders: ['store'] },
  { name: 'a base layer', folders: ['db', 'config'] },
  // Usable by all; a top-level file counts as a folder named after it (src/logger.ts → logger).
  { name: 'a neutral module', folders: ['logger', 'thread', 'markup', 'errors', 'metrics'] },
];

/** One import of one file: `from` and `to` are top-level folders of src/. */
export interface FolderImport {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

/**
 * The module specifiers a file needs at run time, in source order: static imports and re-exports, and dynamic
 * imports of a literal path. Type-only ones (`import type`, or every imported name marked `type`) are left out:
 * the compiler erases them, so they couple no code at run time.
 */
export function runtimeSpecifiers(fileName: string, source: string): string[] {
  const { module, errors } = parseSync(fileName, source);
  if (errors.length > 0) throw new Error(`${fileName} does not parse: ${errors[0]!.message}`);
  const needed = (entries: { isType: boolean }[]) => entries.length === 0 || entries.some((e) => !e.isType);
  const found: { at: number; specifier: string }[] = [];
  for (const i of module.staticImports) {
    if (needed(i.entries)) found.push({ at: i.start, specifier: i.moduleRequest.value });
  }
  for (const e of module.staticExports) {
    const reexports = e.entries.filter((entry) => entry.moduleRequest);
    if (reexports.length > 0 && needed(reexports)) {
      found.push({ at: e.start, specifier: reexports[0]!.moduleRequest!.value });
    }
  }
  for (const d of module.dynamicImports) {
    const literal = /^(['"`])([^'"`$]+)\1$/.exec(source.slice(d.moduleRequest.start, d.moduleRequest.end));
    if (literal) found.push({ at: d.start, specifier: literal[2]! });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

/** The top-level folder of a path under src/ (`api/x.ts` → api, `logger.ts` → logger). */
function topFolder(pathInSrc: string): string {
  return pathInSrc.split('/')[0]!.replace(/\.ts$/, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Every import of src/ (tests beside the code left out: they run under vitest, not in the product) that crosses
 * from one top-level folder to another. Packages and node: modules are not ours and are skipped.
 */
export function folderImports(srcDir: string): FolderImport[] {
  const root = resolve(srcDir);
  return sourceFiles(root).flatMap((path) => {
    const inSrc = relative(root, path);
    return runtimeSpecifiers(path, readFileSync(path, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => {
        const target = relative(root, resolve(dirname(path), specifier.replace(/\.js$/, '.ts')));
        if (target.startsWith('..') || !existsSync(join(root, target))) {
          throw new Error(`src/${inSrc}: cannot resolve '${specifier}' inside src/`);
        }
        return { file: `src/${inSrc}`, specifier, from: topFolder(inSrc), to: topFolder(target) };
      })
      .filter((i) => i.from !== i.to);
  });
}

/** How many imports go from each folder to each other folder, as `from -> to` → count, sorted by pair. */
export function pairCounts(imports: FolderImport[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of imports) counts.set(`${i.from} -> ${i.to}`, (counts.get(`${i.from} -> ${i.to}`) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** The pairs of folders that import each other, each once, as `a <-> b` (a before b alphabetically). */
export function mutualPairs(imports: FolderImport[]): string[] {
  const pairs = new Set(imports.map((i) => `${i.from} -> ${i.to}`));
  return [...pairs]
    .map((pair) => pair.split(' -> ') as [string, string])
    .filter(([from, to]) => from < to && pairs.has(`${to} -> ${from}`))
    .map(([from, to]) => `${from} <-> ${to}`)
    .sort();
}

/**
 * The imports that break the layering, each as `file -> specifier` with why: an import of a higher layer, an
 * import of a folder no layer lists, or (within one layer) an import between two folders that import each other.
 */
export function layeringViolations(imports: FolderImport[]): Map<string, string> {
  const layerOf = new Map(LAYERS.flatMap(({ folders }, layer) => folders.map((f) => [f, layer] as const)));
  const mutual = new Set(mutualPairs(imports));
  const violations = new Map<string, string>();
  for (const i of imports) {
    const key = `${i.file} -> ${i.specifier}`;
    const [from, to] = [layerOf.get(i.from), layerOf.get(i.to)];
    if (from === undefined || to === undefined) {
      const unknown = from === undefined ? i.from : i.to;
      violations.set(key, `src/${unknown} is in no layer: add it to LAYERS in test/helpers/import-graph.ts`);
    } else if (to < from) {
      violations.set(key, `${i.from}, ${LAYERS[from]!.name}, must not import ${i.to}, ${LAYERS[to]!.name}`);
    } else if (from === to && mutual.has([i.from, i.to].sort().join(' <-> '))) {
      violations.set(key, `${i.from} and ${i.to} import each other`);
    }
  }
  return violations;
}
