// `npm run deps`: how many imports go from each top-level folder of src/ to each other one, mutual pairs marked.
import { folderImports, mutualPairs, pairCounts } from './import-graph.js';

const imports = folderImports('src');
const mutual = new Set(mutualPairs(imports));
for (const [pair, count] of pairCounts(imports)) {
  const isMutual = mutual.has(pair.split(' -> ').sort().join(' <-> '));
  process.stdout.write(`${pair.padEnd(24)} ${String(count).padStart(3)}${isMutual ? '  mutual' : ''}\n`);
}
process.stdout.write(`${imports.length} imports across folders; ${mutual.size} mutual pairs:\n`);
for (const pair of mutual) process.stdout.write(`  ${pair}\n`);
