import { html, type HtmlValue, type SafeHtml } from '../markup/html.js';

/**
 * The frame of every mail we send. Mail clients drop <style> blocks and scripts, so every
 * style is inline; every block sets both its background and its text colour, so clients that
 * darken or invert light mail in dark mode never leave dark text on a dark background.
 */
export const colours = {
  page: '#f3f4f6',
  card: '#ffffff',
  text: '#111827',
  muted: '#4b5563',
  link: '#1d4ed8',
  rule: '#e5e7eb',
} as const;

const font = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function emailDocument(options: {
  title: string;
  preheader: string;
  body: HtmlValue;
  footer: HtmlValue;
}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${options.title}</title>
</head>
<body style="margin:0;padding:0;background-color:${colours.page};color:${colours.text};${font}">
<div style="display:none;max-height:0;overflow:hidden;">${options.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${colours.page};">
<tr><td align="center" style="padding:24px 12px;background-color:${colours.page};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:640px;background-color:${colours.card};color:${colours.text};border:1px solid ${colours.rule};border-radius:8px;">
<tr><td style="padding:24px;background-color:${colours.card};color:${colours.text};${font};font-size:16px;line-height:1.5;">
${options.body}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid ${colours.rule};background-color:${colours.card};color:${colours.muted};${font};font-size:13px;line-height:1.5;">
${options.footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`.value;
}

export function link(href: string, text: HtmlValue): SafeHtml {
  return html`<a href="${href}" style="color:${colours.link};text-decoration:underline;">${text}</a>`;
}

export function button(href: string, text: string): SafeHtml {
  return html`<a href="${href}" style="display:inline-block;padding:10px 18px;border-radius:6px;background-color:${colours.link};color:#ffffff;text-decoration:none;font-weight:600;">${text}</a>`;
}
