import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Embedder } from './embedder.js';

const BATCH = 32;

/**
 * A local folder holding a transformers.js model (config.json, tokenizer.json, onnx/model.onnx):
 * the path itself, or a hub name (`BAAI/bge-small-en-v1.5`) found in the Hugging Face hub cache
 * (`$HF_HOME/hub` or ~/.cache/huggingface/hub), since these machines cannot download.
 */
export function resolveModelFolder(location: string): string {
  if (existsSync(location)) return resolve(location);
  const hub = join(
    process.env.HF_HOME ?? join(homedir(), '.cache', 'huggingface'),
    'hub',
    `models--${location.replaceAll('/', '--')}`,
    'snapshots',
  );
  const snapshot = existsSync(hub) ? readdirSync(hub).sort().at(-1) : undefined;
  if (!snapshot)
    throw new Error(
      `EMBEDDING_MODEL ${location}: no such folder, and not in the Hugging Face hub cache (${dirname(dirname(hub))})`,
    );
  return join(hub, snapshot);
}

/** The model's id in the database: vectors from different models never mix. */
export function transformersModelId(location: string): string {
  return `transformers:${basename(resolveModelFolder(location))}`;
}

/** A feature-extraction pipeline over a local ONNX model: mean pooling over tokens, unit length. */
export async function loadTransformersEmbedder(location: string, modelId: string): Promise<Embedder> {
  const folder = resolveModelFolder(location);
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dirname(folder)}/`;
  const extract = await pipeline('feature-extraction', basename(folder), {
    local_files_only: true,
    dtype: 'fp32',
    device: 'cpu',
  });
  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += BATCH) {
      const output = await extract(texts.slice(start, start + BATCH), { pooling: 'mean', normalize: true });
      const [rows, width] = output.dims as [number, number];
      const data = output.data as Float32Array;
      for (let r = 0; r < rows; r++) {
        const vector = data.slice(r * width, (r + 1) * width);
        // A text of unknown tokens only can pool to zeros, which normalising turns into NaN: keep it zero (near nothing).
        vectors.push(vector.some(Number.isNaN) ? new Float32Array(width) : vector);
      }
    }
    return vectors;
  };
  const [probe] = await embed(['probe']);
  return { modelId, dimensions: probe!.length, embed };
}
