import { createHash } from 'node:crypto';

/** Cells per side; the left half (with the middle column) is drawn and mirrored, as GitHub's identicons are. */
const GRID = 5;
const CELL = 10;
const MARGIN = 5;

/**
 * A member's avatar, drawn from their username alone: a mirrored 5×5 pattern in one colour on a
 * light ground, from the SHA-256 of the name, so the same name always gets the same picture and no
 * upload or outside service is needed.
 */
export function identiconSvg(username: string): string {
  const digest = createHash('sha256').update(username.normalize('NFC').toLowerCase()).digest();
  const hue = Math.round((digest.readUInt16BE(0) / 65_536) * 360);
  const saturation = 45 + (digest[2]! % 25);
  const colour = `hsl(${hue} ${saturation}% 42%)`;
  const cells: string[] = [];
  const half = Math.ceil(GRID / 2);
  for (let row = 0; row < GRID; row++) {
    for (let column = 0; column < half; column++) {
      // One bit per drawn cell, from the bytes after those the colour used.
      const bit = row * half + column;
      if (((digest[3 + (bit >> 3)]! >> (bit & 7)) & 1) === 0) continue;
      for (const x of new Set([column, GRID - 1 - column])) {
        cells.push(`<rect x="${MARGIN + x * CELL}" y="${MARGIN + row * CELL}" width="${CELL}" height="${CELL}"/>`);
      }
    }
  }
  const size = GRID * CELL + 2 * MARGIN;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="hsl(${hue} 30% 94%)"/><g fill="${colour}">${cells.join('')}</g></svg>`;
}
