import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';

/**
 * A real paper-like PDF, printed by Chromium: a title, authors and `pages` pages of two-column
 * text with a figure, as arXiv's PDFs look at a glance.
 */
export async function printPaperPdf(browser: Browser, options: { title: string; pages?: number }): Promise<Buffer> {
  const page = await browser.newPage();
  const paragraph = 'We study the problem at hand with care, and report what we measured on every benchmark. '.repeat(
    12,
  );
  const body = Array.from(
    { length: options.pages ?? 1 },
    (_, i) => `<section style="break-after: page">
      ${i === 0 ? `<h1 style="text-align:center;font-family:serif">${options.title.replace(/</g, '&lt;')}</h1><p style="text-align:center">Ada Lovelace · Alan Turing</p>` : ''}
      <div style="columns:2;font-family:serif;font-size:10pt;text-align:justify">
        <h2>${i + 1}. Section</h2><p>${paragraph}</p>
        <svg width="280" height="120"><rect width="280" height="120" fill="#dbeafe"/><polyline points="0,110 60,80 120,90 180,40 240,20 280,10" fill="none" stroke="#1d4ed8" stroke-width="3"/></svg>
        <p>${paragraph}</p><p>${paragraph}</p>
      </div></section>`,
  ).join('');
  await page.setContent(`<!doctype html><html><body>${body}</body></html>`);
  const pdf = await page.pdf({ format: 'Letter', margin: { top: '2cm', bottom: '2cm', left: '2cm', right: '2cm' } });
  await page.close();
  return pdf;
}

/**
 * A hand-written one-page PDF (Helvetica text), with objects and trailer entries added as given:
 * for files no printer makes, such as one locked with a password.
 */
export function handWrittenPdf(options: { extraObjects?: string[]; extraTrailer?: string } = {}): Buffer {
  const content = 'BT /F1 24 Tf 72 700 Td (Locked paper) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...(options.extraObjects ?? []),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.extraTrailer ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * A PDF locked with a user password (standard security handler, 128-bit): its check values are random,
 * so the empty password every reader tries first fails and the file cannot be opened without one.
 */
export function passwordLockedPdf(): Buffer {
  const hex = (n: number) => randomBytes(n).toString('hex');
  return handWrittenPdf({
    extraObjects: [`<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <${hex(32)}> /U <${hex(32)}> >>`],
    extraTrailer: `/Encrypt 6 0 R /ID [<${hex(16)}> <${hex(16)}>]`,
  });
}
