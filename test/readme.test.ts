import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingNames } from '../src/config/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the two-command quick start', () => {
    const quickStart = readme.slice(
      readme.indexOf('## Quick start'),
      readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
    );
    expect(quickStart).toContain('npm install && npm start');
    expect(quickStart).toContain('npm test');
  });

  it('documents every setting in its configuration table', () => {
    const missing = settingNames.filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });

  it('names the scripts it tells people to run', () => {
    const scripts = (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toBe('node bin/dailypapers.js serve --migrate --demo');
    for (const script of ['start', 'test', 'bench', 'typecheck', 'lint', 'format', 'deps'])
      expect(scripts).toHaveProperty(script);
  });

  it('lays out every folder of the repository and of src/, and only paths that exist', () => {
    const section = readme.slice(readme.indexOf('## Project layout'));
    const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
    // A line that does not start indented names a path first (a continuation line is indented).
    const listed = block.split('\n').flatMap((line) => (/^\S/.test(line) ? [line.split(/\s+/)[0]!] : []));
    const root = new URL('../', import.meta.url);
    expect(listed.filter((path) => !existsSync(new URL(path, root)))).toEqual([]);
    const ignored = readFileSync(new URL('.gitignore', root), 'utf8')
      .split('\n')
      .map((line) => line.replace(/^\/|\/$/g, ''));
    const folders = (dir: string) =>
      readdirSync(new URL(dir, root), { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== '.git' && !ignored.includes(e.name))
        .map((e) => `${dir}${e.name}`);
    const srcFiles = readdirSync(new URL('src/', root))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `src/${name}`);
    const expected = [...folders(''), ...folders('src/'), ...srcFiles];
    const isListed = (path: string) => listed.some((l) => l.replace(/\/$/, '') === path || l.startsWith(`${path}/`));
    expect(expected.filter((path) => !isListed(path))).toEqual([]);
  });
});
