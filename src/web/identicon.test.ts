import { describe, expect, it } from 'vitest';
import { identiconSvg } from './identicon.js';

describe('identiconSvg', () => {
  it('draws the same mirrored pattern for the same name, any case, and another for another name', () => {
    const grace = identiconSvg('grace');
    expect(identiconSvg('Grace')).toBe(grace);
    expect(identiconSvg('ada')).not.toBe(grace);
    const cells = [...grace.matchAll(/<rect x="(\d+)" y="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(cells.length).toBeGreaterThan(0);
    // Every cell has its mirror image across the middle column.
    for (const [x, y] of cells) expect(cells.some(([mx, my]) => mx === 50 - x && my === y)).toBe(true);
  });
});
