import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The stored picture: the top of page 1, 640 pixels wide, in the 4:3 the cards and paper pages crop from. */
export const THUMBNAIL_WIDTH = 640;
export const THUMBNAIL_HEIGHT = 480;
const WEBP_QUALITY = 75;
/** Larger embedded images (in pixels) are left out rather than decoded: a hostile PDF could ask gigabytes. */
const MAX_IMAGE_PIXELS = 16_000_000;

const pdfjsFolder = (name: string) =>
  fileURLToPath(new URL(`${name}/`, import.meta.resolve('pdfjs-dist/package.json')));

/** Why a PDF has no thumbnail, in words for the failure record. */
export class UnrenderablePdf extends Error {}

/**
 * Renders the top of a PDF's first page to WebP. Runs on the thumbnail thread (render-thread.ts),
 * whose heap is capped and which is ended when a render takes too long, so a hostile file costs a
 * bounded amount. Scripts in the PDF never run (`isEvalSupported: false`, no scripting).
 */
export async function renderFirstPage(pdf: Uint8Array): Promise<Buffer> {
  const task = getDocument({
    data: pdf,
    isEvalSupported: false,
    enableXfa: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    verbosity: 0,
    standardFontDataUrl: pdfjsFolder('standard_fonts'),
    cMapUrl: pdfjsFolder('cmaps'),
    wasmUrl: pdfjsFolder('wasm'),
  });
  let document: Awaited<typeof task.promise>;
  try {
    document = await task.promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new UnrenderablePdf('encrypted: the PDF needs a password');
    throw new UnrenderablePdf(`not a readable PDF: ${(error as Error).message}`);
  }
  try {
    const page = await document.getPage(1);
    const natural = page.getViewport({ scale: 1 });
    if (!(natural.width > 0 && natural.height > 0)) throw new UnrenderablePdf('the first page has no size');
    const viewport = page.getViewport({ scale: THUMBNAIL_WIDTH / natural.width });
    const canvas = createCanvas(THUMBNAIL_WIDTH, Math.min(THUMBNAIL_HEIGHT, Math.ceil(viewport.height)));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    // pdfjs types its canvas as the DOM's; @napi-rs/canvas implements the part it draws with.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as never, viewport })
      .promise;
    return await canvas.encode('webp', WEBP_QUALITY);
  } finally {
    await document.destroy();
  }
}
