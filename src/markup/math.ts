import katex, { type KatexOptions } from 'katex';

/**
 * KaTeX with bounds, for every formula taken from text that members or harvests supply (comments,
 * titles, abstracts). KaTeX recurses once per nesting level, and its output can be a hundred times
 * its input, so a few kilobytes of hostile TeX could overflow the stack or make a page megabytes
 * long. Here a formula is rendered only when its source is short and shallow, each render is
 * caught, and one text's formulas share a budget of output bytes and time; what falls outside
 * these bounds is shown as its source instead (the caller decides how).
 */

/** Longer formulas are shown as source: no real formula needs more, and KaTeX time grows with length. */
export const MAX_MATH_SOURCE = 2000;
/** Deeper nesting (`{`, `\left`, `\begin`) is shown as source: KaTeX recurses per level. */
export const MAX_MATH_NESTING = 24;

/** Limits on the expansion KaTeX itself does: `\def` recursion and huge `\rule`/`\kern` sizes (a caller may ask for throwing errors). */
const KATEX_BOUNDS = { throwOnError: false, trust: false, maxExpand: 200, maxSize: 20 } as const;

/** What one text's formulas may spend together; spent as they render. */
export interface MathBudget {
  bytesLeft: number;
  /** performance.now() after which no further formula renders. */
  deadline: number;
}

export function mathBudget(limits: { bytes: number; milliseconds: number }): MathBudget {
  return { bytesLeft: limits.bytes, deadline: performance.now() + limits.milliseconds };
}

/** The deepest group nesting in `tex`, counting braces, `\left…\right` and `\begin…\end`. */
export function mathNesting(tex: string): number {
  let depth = 0;
  let deepest = 0;
  for (const token of tex.matchAll(/\\(?:left|right|begin|end)(?![a-zA-Z])|\\.|[{}]/gs)) {
    const t = token[0];
    if (t === '{' || t === '\\left' || t === '\\begin') deepest = Math.max(deepest, ++depth);
    else if (t === '}' || t === '\\right' || t === '\\end') depth--;
  }
  return deepest;
}

/**
 * The formula as KaTeX markup, or null when it is outside the bounds, does not render, or the
 * budget is spent; a null leaves the budget as it was, except for the time taken.
 */
export function renderMathBounded(
  tex: string,
  options: Pick<KatexOptions, 'displayMode' | 'output' | 'strict' | 'throwOnError'>,
  budget: MathBudget,
): string | null {
  if (tex.length > MAX_MATH_SOURCE || budget.bytesLeft <= 0 || performance.now() > budget.deadline) return null;
  if (mathNesting(tex) > MAX_MATH_NESTING) return null;
  let markup: string;
  try {
    markup = katex.renderToString(tex, { ...KATEX_BOUNDS, ...options });
  } catch {
    // Stack overflows from expansion that the source check cannot see (`\def` recursion), and any KaTeX bug.
    return null;
  }
  if (markup.length > budget.bytesLeft) {
    budget.bytesLeft = 0;
    return null;
  }
  budget.bytesLeft -= markup.length;
  return markup;
}
