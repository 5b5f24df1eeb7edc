/**
 * A small BibTeX reader for imports: it finds each entry with the line it starts on, its key and its fields,
 * and reports an entry it cannot read (unbalanced braces, a missing key, a malformed field) by line, then goes
 * on with the next one. One pass over the text, no recursion and no backtracking, so a hostile file costs time
 * and memory in proportion to its size. Field values are kept as written (LaTeX included), less their
 * delimiters; `#` concatenations are joined and macros (`@string`) are kept as their names.
 */

export interface BibtexEntry {
  line: number;
  type: string;
  key: string;
  /** Field names lower-cased; the first of a repeated field wins. */
  fields: Map<string, string>;
}

export interface BibtexProblem {
  line: number;
  message: string;
}

export interface BibtexFile {
  entries: BibtexEntry[];
  problems: BibtexProblem[];
}

/** Entries that hold no reference. */
const NON_ENTRIES = new Set(['comment', 'preamble', 'string']);

class EntryError extends Error {}

/**
 * Reads one entry's body from `start` (just after its opening `{` or `(`). A `@` that begins a line while the
 * body is still open means the entry never closed: the error says so, and reading resumes at that `@`.
 */
class EntryReader {
  at: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly close: string,
  ) {
    this.at = start;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private atNewEntry(): boolean {
    if (this.text[this.at] !== '@') return false;
    let i = this.at - 1;
    while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
    return i < 0 || this.text[i] === '\n';
  }

  private unclosed(): never {
    throw new EntryError('the entry is not closed (unbalanced braces?)');
  }

  /** Letters, digits and the punctuation keys and field names use. */
  private word(): string {
    const start = this.at;
    while (this.at < this.text.length && /[^\s,={}()"#%@]/.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  /** A braced value: nested braces balanced, backslash-escaped braces skipped. */
  private braced(): string {
    const start = ++this.at;
    let depth = 1;
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (c === '\\') this.at += 2;
      else if (c === '{') {
        depth++;
        this.at++;
      } else if (c === '}') {
        depth--;
        if (depth === 0) return this.text.slice(start, this.at++);
        this.at++;
      } else if (c === '@' && this.atNewEntry()) this.unclosed();
      else this.at++;
    }
    return this.unclosed();
  }

  /** A quoted value: ends at a `"` outside braces. */
  private quoted(): string {
    const start = ++this.at;
    let depth = 0;
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (c === '\\') this.at += 2;
      else {
        if (c === '{') depth++;
        else if (c === '}') depth--;
        else if (c === '"' && depth <= 0) return this.text.slice(start, this.at++);
        else if (c === '@' && this.atNewEntry()) this.unclosed();
        this.at++;
      }
    }
    return this.unclosed();
  }

  private value(field: string): string {
    const parts: string[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.text[this.at];
      if (c === '{') parts.push(this.braced());
      else if (c === '"') parts.push(this.quoted());
      else {
        const bare = this.word();
        if (!bare) throw new EntryError(`the field ${field} has no value`);
        parts.push(bare);
      }
      this.skipSpace();
      if (this.text[this.at] !== '#') return parts.join('');
      this.at++;
    }
  }

  /** The key and fields, leaving `at` after the closing delimiter. */
  read(): { key: string; fields: Map<string, string> } {
    this.skipSpace();
    const key = this.word();
    this.skipSpace();
    if (!key || this.text[this.at] !== ',') {
      if (this.at >= this.text.length || this.atNewEntry()) this.unclosed();
      throw new EntryError('the entry has no citation key');
    }
    this.at++;
    const fields = new Map<string, string>();
    for (;;) {
      this.skipSpace();
      if (this.at >= this.text.length || this.atNewEntry()) this.unclosed();
      if (this.text[this.at] === this.close) {
        this.at++;
        return { key, fields };
      }
      const name = this.word().toLowerCase();
      this.skipSpace();
      if (!name || this.text[this.at] !== '=')
        throw new EntryError(`a field is malformed near “${name || this.text[this.at]}”`);
      this.at++;
      const value = this.value(name);
      if (!fields.has(name)) fields.set(name, value);
      this.skipSpace();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== this.close) {
        if (this.at >= this.text.length || this.atNewEntry()) this.unclosed();
        throw new EntryError(`the field ${name} is not followed by a comma`);
      }
    }
  }
}

/** The line number (from 1) of each offset, found by walking forward once. */
function lineCounter(text: string) {
  let line = 1;
  let upTo = 0;
  return (offset: number) => {
    for (; upTo < offset; upTo++) if (text.charCodeAt(upTo) === 10) line++;
    return line;
  };
}

/** Every entry of a BibTeX file, and a problem for each entry it could not read. */
export function parseBibtex(text: string): BibtexFile {
  const entries: BibtexEntry[] = [];
  const problems: BibtexProblem[] = [];
  const lineOf = lineCounter(text);
  let at = text.indexOf('@');
  while (at !== -1) {
    const line = lineOf(at);
    const head = /^@\s*([A-Za-z]+)\s*([{(])/.exec(text.slice(at, at + 64));
    if (!head) {
      // Text between entries is a comment in BibTeX, a stray @ included.
      at = text.indexOf('@', at + 1);
      continue;
    }
    const type = head[1]!.toLowerCase();
    const reader = new EntryReader(text, at + head[0].length, head[2] === '{' ? '}' : ')');
    if (NON_ENTRIES.has(type)) {
      // Skipped, but read through so their braces cannot swallow the next entry.
      try {
        if (type === 'comment') at = at + head[0].length;
        else reader.read();
      } catch {
        // A @string or @preamble that does not parse as fields is skipped as text.
      }
      at = text.indexOf('@', Math.max(reader.at, at + 1));
      continue;
    }
    try {
      const { key, fields } = reader.read();
      entries.push({ line, type, key, fields });
      at = text.indexOf('@', reader.at);
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      problems.push({ line, message: error.message });
      // Resume at the next entry that starts a line: where the reader stopped, or after it.
      if (reader.at > at && text[reader.at] === '@') at = reader.at;
      else {
        const next = /\n[ \t]*@/g;
        next.lastIndex = Math.max(reader.at, at + 1);
        const found = next.exec(text);
        at = found ? text.indexOf('@', found.index) : -1;
      }
    }
  }
  return { entries, problems };
}
