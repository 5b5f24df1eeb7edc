/** Thread entry of the thumbnail renderer: renders PDFs off the main thread (see ThumbnailRenderer). */
import { MovedAnswer, serveThreadCalls } from '../thread.js';
import { renderFirstPage, UnrenderablePdf } from './render.js';

serveThreadCalls({
  // Answered once the imports above (pdfjs, the canvas) have loaded: the renderer waits for it untimed.
  ready: () => true,
  render: async (pdf: Uint8Array) => {
    try {
      const webp = await renderFirstPage(pdf);
      const bytes = new Uint8Array(webp);
      return new MovedAnswer(bytes, [bytes.buffer]);
    } catch (error) {
      // An unrenderable file is an answer, not a failure of the thread.
      if (error instanceof UnrenderablePdf) return { error: error.message };
      throw error;
    }
  },
});
