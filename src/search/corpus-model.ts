import { decodeLsa, embedLsa, encodeLsa, fitLsa, type LsaFitOptions, type LsaModel } from './lsa.js';
import { readHeader } from './model-bytes.js';
import { decodeSif, embedSif, encodeSif, fitSif, type SifFitOptions, type SifModel } from './word-vectors.js';

/**
 * The offline embedder learned from the stored papers: LSA, optionally mixed with SIF-pooled word
 * vectors. A text's vector is the two unit vectors side by side, scaled by √(1 − share) and
 * √share, so the cosine of two texts is the share-weighted mean of the two models' cosines.
 */
export interface CorpusModel {
  lsa: LsaModel;
  sif: SifModel | null;
  sifShare: number;
}

export interface CorpusRecipe {
  lsa: LsaFitOptions;
  /** Null: LSA alone. */
  sif: (SifFitOptions & { share: number }) | null;
}

export function fitCorpusModel(texts: string[], recipe: CorpusRecipe): CorpusModel {
  const lsa = fitLsa(texts, recipe.lsa);
  if (!recipe.sif) return { lsa, sif: null, sifShare: 0 };
  return { lsa, sif: fitSif(texts, recipe.sif), sifShare: recipe.sif.share };
}

export function corpusModelDimensions(model: CorpusModel): number {
  return model.lsa.dimensions + (model.sif?.dimensions ?? 0);
}

/** Unit vectors of texts; the zero vector for a text neither model knows a word of. */
export function embedCorpus(model: CorpusModel, texts: string[]): Float32Array[] {
  const lsa = embedLsa(model.lsa, texts);
  if (!model.sif) return lsa;
  const sif = embedSif(model.sif, texts);
  const k = model.lsa.dimensions;
  return texts.map((_, i) => {
    const vector = new Float32Array(corpusModelDimensions(model));
    const parts: [Float32Array, number][] = [
      [lsa[i]!, Math.sqrt(1 - model.sifShare)],
      [sif[i]!, Math.sqrt(model.sifShare)],
    ];
    // A text only one model knows words of is that model's vector alone, still of unit length.
    const known = parts.filter(([v]) => v.some((x) => x !== 0));
    const total = known.reduce((sum, [, scale]) => sum + scale * scale, 0);
    for (const [p, [v, scale]] of parts.entries()) {
      if (!known.some(([u]) => u === v)) continue;
      const s = scale / Math.sqrt(total);
      for (let j = 0; j < v.length; j++) vector[p * k + j] = s * v[j]!;
    }
    return vector;
  });
}

/**
 * The byte form for the database. LSA alone is stored as before (encodeLsa), so models stored by
 * earlier versions still load; a mix is a small header and the two models' byte forms.
 */
export function encodeCorpusModel(model: CorpusModel): Buffer {
  const lsa = encodeLsa(model.lsa);
  if (!model.sif) return lsa;
  const header = Buffer.from(JSON.stringify({ mix: 'lsa+sif', sifShare: model.sifShare, lsaBytes: lsa.length }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([length, header, lsa, encodeSif(model.sif)]);
}

export function decodeCorpusModel(bytes: Uint8Array): CorpusModel {
  const { header, end } = readHeader<{ mix?: string; sifShare: number; lsaBytes: number }>(bytes);
  if (header.mix !== 'lsa+sif') return { lsa: decodeLsa(bytes), sif: null, sifShare: 0 };
  return {
    lsa: decodeLsa(bytes.subarray(end, end + header.lsaBytes)),
    sif: decodeSif(bytes.subarray(end + header.lsaBytes)),
    sifShare: header.sifShare,
  };
}
