import { describe, expect, it } from 'vitest';
import { paper } from '../../test/factories/papers.js';
import { csvField, exportFileName, exportPapers } from './export.js';

const mae = paper({
  id: '2203.06604',
  title: 'Masked Autoencoders for $\\mathbb{R}^3$ Point Clouds',
  authors: [{ name: 'Yatian Pang' }, { name: 'Wenxiao Wang' }],
  publishedOn: '2022-03-13',
  categories: ['cs.CV', 'cs.LG'],
});

describe('exportPapers', () => {
  it('gives papers with the same citation key distinct keys, so a reference manager keeps both', () => {
    const twin = { ...mae, id: '2203.06605' };
    const file = exportPapers([{ paper: mae }, { paper: twin }, { paper: { ...mae, id: '2203.06606' } }], 'bibtex');
    const keys = [...file.body.matchAll(/^@misc\{([^,]+),/gm)].map((m) => m[1]);
    expect(keys).toEqual(['pang2022masked', 'pang2022maskeda', 'pang2022maskedb']);
    expect(file.body).toContain('title={Masked Autoencoders for $\\mathbb{R}^3$ Point Clouds}');
    expect(file.contentType).toMatch(/^application\/x-bibtex/);
  });

  it('puts the member’s note in annote / N1 / a column only when asked for the private columns', () => {
    const entry = {
      paper: mae,
      note: 'Read section 3}{ again\nthen @cite it',
      readAt: null,
      savedAt: '2026-01-02T00:00:00Z',
    };
    expect(exportPapers([entry], 'bibtex', true).body).toContain('annote={Read section 3 again then @cite it}');
    expect(exportPapers([entry], 'bibtex').body).not.toContain('annote');
    const ris = exportPapers([entry], 'ris', true).body;
    expect(ris).toContain('N1  - Read section 3}{ again then @cite it\r\n');
    expect(ris.split('\r\n').filter((l) => l.startsWith('AU  - '))).toEqual([
      'AU  - Yatian Pang',
      'AU  - Wenxiao Wang',
    ]);
    expect(ris).toContain('UR  - https://arxiv.org/abs/2203.06604\r\nAN  - arXiv:2203.06604');
    expect(ris).toMatch(/ER {2}- \r\n\r\n$/);
    expect(exportPapers([entry], 'ris').body).not.toContain('N1');
    const csv = exportPapers([entry], 'csv', true).body.split('\r\n');
    expect(csv[0]).toBe('id,title,authors,published,categories,doi,url,note,read,saved');
    expect(csv[1]).toContain(',"Read section 3}{ again\nthen @cite it",,2026-01-02');
    expect(exportPapers([entry], 'csv').body.split('\r\n')[0]).toBe('id,title,authors,published,categories,doi,url');
  });

  it('keeps RIS values on one line, so a title with line breaks cannot forge a tag', () => {
    const forged = exportPapers([{ paper: { ...mae, title: 'Title\nER  - \nTY  - JOUR' } }], 'ris').body;
    expect(forged.match(/^ER {2}- /gm)).toHaveLength(1);
    expect(forged).toContain('TI  - Title ER - TY - JOUR');
  });
});

describe('csvField', () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('exportFileName', () => {
  it('keeps letters, digits and dashes of the name', () => {
    expect(exportFileName('Reading group: week 3', 'bib')).toBe('Reading-group-week-3.bib');
    expect(exportFileName('../../etc/passwd', 'csv')).toBe('etc-passwd.csv');
    expect(exportFileName('<>', 'ris')).toBe('papers.ris');
  });
});
