import { describe, expect, it } from 'vitest';
import { dayPeriod, weekPeriod } from '../rank/periods.js';
import type { Paper } from '../store/papers.js';
import { digestSubject, periodLabel, renderDigest, shortAbstract } from './render.js';

function paper(overrides: Partial<Paper>): Paper {
  return {
    id: '2611.00001',
    title: 'A paper',
    abstract: 'An abstract.',
    authors: [{ name: 'Ada Lovelace' }],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    publishedOn: '2026-11-27',
    revisedOn: null,
    version: 1,
    versions: [],
    doi: null,
    journalRef: null,
    comments: null,
    license: null,
    githubUrl: null,
    projectUrl: null,
    featuredOn: '2026-11-27',
    submittedBy: null,
    submittedAt: null,
    upvotes: 1,
    numComments: 0,
    trendingScore: 0,
    hidden: false,
    createdAt: '',
    modifiedAt: '',
    aiSummary: null,
    aiKeywords: [],
    githubStars: null,
    codeLinks: [],
    ...overrides,
  };
}

const links = {
  baseUrl: 'https://papers.example.org',
  manageUrl: 'https://papers.example.org/m?token=a&b',
  unsubscribeUrl: 'https://papers.example.org/u?token=x',
};

describe('shortAbstract', () => {
  it('keeps short abstracts and cuts long ones at a word with an ellipsis', () => {
    expect(shortAbstract('  Short\n abstract. ')).toBe('Short abstract.');
    const long = `${'word '.repeat(100)}end`;
    const cut = shortAbstract(long, 50);
    expect(cut.endsWith('word…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(51);
  });
});

describe('digest subject and period', () => {
  it('states the date and the count', () => {
    expect(digestSubject({ frequency: 'daily', period: dayPeriod('2026-11-27')! }, 1)).toBe(
      'Daily papers for 27 Nov 2026: 1 paper',
    );
    expect(digestSubject({ frequency: 'weekly', period: weekPeriod('2026-W48')! }, 12)).toBe(
      'Weekly papers for 2026-W48 (23 Nov – 29 Nov 2026): 12 papers',
    );
    expect(periodLabel(dayPeriod('2026-11-27')!)).toBe('Friday 27 November 2026');
  });
});

describe('renderDigest', () => {
  const hostile = paper({
    id: 'doi:10.1101/2024.01.02.123456',
    title: 'Attacks <img src=x onerror=alert(1)> on $O(n^2)$ "models"',
    abstract: '</p><script>steal()</script> We show $\\alpha < \\beta$.',
    authors: [{ name: '<b>Mallory</b>' }],
  });
  const mail = renderDigest({
    frequency: 'daily',
    period: dayPeriod('2026-11-27')!,
    sections: [
      {
        title: 'Top papers of the day',
        papers: [paper({ upvotes: 12, githubUrl: 'https://github.com/a/b' }), hostile],
      },
    ],
    ...links,
  });

  it('escapes every paper field in the HTML part and has no scripts or style sheets', () => {
    expect(mail.html).toContain('Attacks &lt;img src=x onerror=alert(1)&gt; on $O(n^2)$ &quot;models&quot;');
    expect(mail.html).toContain('&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt; We show $\\alpha &lt; \\beta$.');
    expect(mail.html).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
    expect(mail.html).not.toMatch(/<script|<style|<img|<link/i);
    expect(mail.html).toContain('href="https://papers.example.org/m?token=a&amp;b"');
  });

  it('is dark-mode safe: declares both schemes and sets a background wherever it sets a text colour on a block', () => {
    expect(mail.html).toContain('<meta name="color-scheme" content="light dark">');
    for (const [, tag, style] of mail.html.matchAll(/<(body|td|table)\b[^>]*style="([^"]*)"/g)) {
      expect(style, tag).toMatch(/background-color:#/);
    }
  });

  it('has a plain-text part with the same papers, links and the unsubscribe link', () => {
    expect(mail.subject).toBe('Daily papers for 27 Nov 2026: 2 papers');
    expect(mail.text).toContain(
      '1. A paper\n   Ada Lovelace\n   ▲ 12 upvotes\n   Read on dailypapers: https://papers.example.org/papers/2611.00001',
    );
    expect(mail.text).toContain('arXiv: https://arxiv.org/abs/2611.00001');
    expect(mail.text).toContain('Code: https://github.com/a/b');
    expect(mail.text).toContain('2. Attacks <img src=x onerror=alert(1)> on $O(n^2)$ "models"');
    // Papers from outside arXiv get no arXiv links.
    expect(mail.text).not.toContain('arxiv.org/abs/doi');
    expect(mail.text).toContain('https://papers.example.org/papers/doi:10.1101/2024.01.02.123456');
    expect(mail.text).toContain('Unsubscribe: https://papers.example.org/u?token=x');
  });
});
