// A parser of the Prometheus text exposition format (0.0.4) by its grammar, strict where scrapers are:
// every line is a HELP or TYPE comment, a blank, or a sample `name{label="value",…} value [timestamp]`
// with label values escaped as the format says, and every sample belongs to the family its TYPE names.
// (parse-prometheus-text-format, the one small parser on npm, accepts malformed lines silently and
// drops the labels of histogram series, so it cannot judge this output.)

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name: a histogram's `_bucket`, `_sum` and `_count` lines keep theirs. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string, where: string): number {
  if (!VALUE.test(text)) throw new Error(`${where}: ${JSON.stringify(text)} is not a sample value`);
  return text.endsWith('Inf') ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);
}

/** `{a="x",b="y\"z"}` from the start of `text`: the labels and how many characters they took. */
function parseLabels(text: string, where: string): { labels: Record<string, string>; length: number } {
  const labels: Record<string, string> = {};
  let at = 1;
  while (text[at] !== '}') {
    const name = LABEL_NAME.exec(text.slice(at))?.[0];
    if (!name || text.slice(at + name.length, at + name.length + 2) !== '="') throw new Error(`${where}: bad label`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    at += name.length + 2;
    let value = '';
    for (;;) {
      const char = text[at++];
      if (char === undefined || char === '\n') throw new Error(`${where}: unterminated label value`);
      if (char === '"') break;
      if (char === '\\') {
        const escaped = text[at++];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else throw new Error(`${where}: bad escape \\${escaped}`);
      } else value += char;
    }
    labels[name] = value;
    if (text[at] === ',') at++;
    else if (text[at] !== '}') throw new Error(`${where}: expected , or } after a label`);
  }
  return { labels, length: at + 1 };
}

/** Parses a /metrics answer into its families; throws naming the first line that breaks the format. */
export function parseExposition(text: string): Family[] {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a line break');
  const families = new Map<string, Family>();
  const familyOf = (name: string) => {
    const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
    families.set(name, family);
    return family;
  };
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1} (${JSON.stringify(line.slice(0, 80))})`;
      if (line.trim() === '') return;
      const comment = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line);
      if (comment) {
        const [, keyword, name, rest] = comment as unknown as [string, string, string, string];
        if (NAME.exec(name)?.[0] !== name) throw new Error(`${where}: bad metric name`);
        const family = familyOf(name);
        if (keyword === 'HELP') family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
        else if (rest in SUFFIXES && family.samples.length === 0) family.type = rest as MetricType;
        else throw new Error(`${where}: bad or late TYPE`);
        return;
      }
      if (line.startsWith('#')) return;
      const name = NAME.exec(line)?.[0];
      if (!name) throw new Error(`${where}: no metric name`);
      let rest = line.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith('{')) {
        const parsed = parseLabels(rest, where);
        labels = parsed.labels;
        rest = rest.slice(parsed.length);
      }
      const fields = rest.split(' ');
      if (fields[0] !== '' || fields.length < 2 || fields.length > 3)
        throw new Error(`${where}: expected " value [timestamp]"`);
      if (fields[2] !== undefined && !/^-?\d+$/.test(fields[2])) throw new Error(`${where}: bad timestamp`);
      const value = parseValue(fields[1]!, where);
      const family = [...families.values()].find((f) => SUFFIXES[f.type].some((suffix) => name === f.name + suffix));
      if (family && family.type !== 'untyped') {
        if (family.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined)
          throw new Error(`${where}: a bucket without le`);
        family.samples.push({ name, labels, value });
      } else familyOf(name).samples.push({ name, labels, value });
    });
  return [...families.values()];
}

/** The first sample named `name` (default: the family's own name) whose labels include `labels`. */
export function findSample(
  families: Family[],
  family: string,
  labels: Record<string, string> = {},
  name = family,
): Sample | undefined {
  return families
    .find((f) => f.name === family)
    ?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of a counter or gauge series, or undefined when there is no such series. */
export function sampleValue(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  return findSample(families, name, labels)?.value;
}
