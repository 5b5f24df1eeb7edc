import { describe, expect, it } from 'vitest';
import { MAX_MATH_NESTING, MAX_MATH_SOURCE, mathBudget, mathNesting, renderMathBounded } from './math.js';

const roomy = () => mathBudget({ bytes: 1_000_000, milliseconds: 10_000 });
const nested = (depth: number) => `${'{'.repeat(depth)}x${'}'.repeat(depth)}`;

describe('mathNesting', () => {
  it('counts braces, \\left…\\right and \\begin…\\end, but not escaped braces', () => {
    expect(mathNesting('x^2')).toBe(0);
    expect(mathNesting('\\frac{a}{b^{2}}')).toBe(2);
    expect(mathNesting('\\left( \\begin{matrix} {a} \\end{matrix} \\right)')).toBe(3);
    expect(mathNesting('\\{ \\{ a \\} \\}')).toBe(0);
    expect(mathNesting('\\leftarrow{a}')).toBe(1);
  });
});

describe('renderMathBounded', () => {
  it('renders ordinary formulas and charges their size to the budget', () => {
    const budget = roomy();
    const markup = renderMathBounded('\\frac{a}{b}', { output: 'html' }, budget)!;
    expect(markup).toContain('class="katex"');
    expect(budget.bytesLeft).toBe(1_000_000 - markup.length);
  });

  it('refuses formulas too long or too deep, whatever KaTeX would make of them', () => {
    expect(renderMathBounded(nested(MAX_MATH_NESTING), {}, roomy())).toContain('katex');
    expect(renderMathBounded(nested(MAX_MATH_NESTING + 1), {}, roomy())).toBeNull();
    expect(renderMathBounded('x+'.repeat(MAX_MATH_SOURCE / 2 + 1), {}, roomy())).toBeNull();
  });

  it('stops rendering once the budget of bytes or time is spent', () => {
    const small = mathBudget({ bytes: 3000, milliseconds: 10_000 });
    const rendered = Array.from({ length: 10 }, () => renderMathBounded('\\frac{a}{b}', {}, small));
    expect(rendered[0]).not.toBeNull();
    expect(rendered.at(-1)).toBeNull();
    expect(renderMathBounded('x', {}, mathBudget({ bytes: 1_000_000, milliseconds: -1 }))).toBeNull();
  });

  it('keeps expansion bounded: a recursive macro gives an error span, not a crash', () => {
    expect(renderMathBounded('\\def\\a{\\frac1{\\a}}\\a', {}, roomy())).toContain('katex-error');
  });
});
