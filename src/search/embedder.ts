import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import {
  activateEmbeddingModel,
  activeEmbeddingModel,
  corpusSample,
  deleteModelVectors,
  embeddingModelData,
  type EmbeddingModelRow,
} from '../store/embeddings.js';
import { countPapers } from '../store/papers.js';
import { SearchModeUnavailable } from './errors.js';
import { decodeLsa, embedLsa, encodeLsa, fitLsa, type LsaFitOptions, type LsaModel } from './lsa.js';
import { connectEmbeddingServer, serverModelId, type EmbeddingServer } from './remote-embedder.js';
import type { SearchContext } from './types.js';

/** What texts are embedded for: papers (a run that may wait and retry) or a query (a search waiting for it). */
export type EmbedPurpose = 'papers' | 'query';

/** Turns texts into unit vectors of one model's space. */
export interface Embedder {
  modelId: string;
  dimensions: number;
  embed(texts: string[], purpose?: EmbedPurpose): Promise<Float32Array[]>;
}

/**
 * The corpus-learned model's shape, chosen on scifact-train (see README, "Search"): 256 dimensions
 * reach most of the quality of 512 at half the memory and a quarter of the fitting time.
 */
export const LSA_DIMENSIONS = 256;
/**
 * A small corpus gets fewer dimensions (a quarter of its papers): kept at full rank, LSA is plain
 * tf-idf again and relates no two words; truncation is what makes co-occurring words neighbours.
 */
export function lsaDimensions(papers: number): number {
  return Math.min(LSA_DIMENSIONS, Math.max(2, Math.floor(papers / 4)));
}
const LSA_MAX_VOCABULARY = 30_000;
const LSA_MAX_FIT_DOCUMENTS = 20_000;

/** How the corpus-learned model is fitted on a corpus of `papers` papers. */
export function lsaFitOptions(papers: number): LsaFitOptions {
  return { dimensions: lsaDimensions(papers), maxVocabulary: LSA_MAX_VOCABULARY, maxDocuments: LSA_MAX_FIT_DOCUMENTS };
}

/**
 * Past this fitted corpus size the model is no longer refitted by itself. A fit reads at most
 * LSA_MAX_FIT_DOCUMENTS papers, so a refit of a larger corpus only draws another sample of the same
 * size, yet re-embeds every paper (hours at millions of papers); on scifact a model fitted on a
 * quarter of the corpus cost semantic search little and the hybrid nothing (README, "Search").
 * `dailypapers embed --all` still refits on demand.
 */
export const LSA_REFIT_UP_TO = 200_000;

/**
 * Refit when the corpus has doubled since the fit, while the fit was on fewer than LSA_REFIT_UP_TO
 * papers: new fields bring words the model does not know (they are ignored until then), and
 * doubling keeps the re-embedding work linear in the corpus size; the ceiling bounds it (no paper
 * is re-embedded by a refit once the corpus passes 2 × LSA_REFIT_UP_TO).
 */
export function lsaNeedsRefit(fittedPapers: number, papersNow: number): boolean {
  return fittedPapers < LSA_REFIT_UP_TO && papersNow >= 2 * Math.max(fittedPapers, 1);
}

/** What a paper is embedded from. */
export function paperText(paper: { title: string; abstract: string }): string {
  return `${paper.title}\n${paper.abstract}`;
}

/**
 * What an outside model's stored data says: a transformers.js folder, or the model name of an
 * embeddings server (the URL and key stay in the settings, never in the database).
 */
type OutsideModel = { location: string } | { serverModel: string };

function outsideModelData(model: OutsideModel): Buffer {
  return Buffer.from(JSON.stringify(model), 'utf8');
}

async function loadEmbedder(db: Db, model: EmbeddingModelRow, server: EmbeddingServer | undefined): Promise<Embedder> {
  const data = await embeddingModelData(db, model.id);
  if (!data) throw new Error(`embedding model ${model.id} has no stored data`);
  if (model.kind === 'lsa') return lsaEmbedder(model.id, decodeLsa(data));
  const outside = JSON.parse(Buffer.from(data).toString('utf8')) as OutsideModel;
  if ('serverModel' in outside) {
    if (server?.model !== outside.serverModel)
      throw new SearchModeUnavailable(
        `semantic search is not available: the vectors are from the embeddings server model ${outside.serverModel}; set EMBEDDING_URL and EMBEDDING_MODEL to use it, or run \`dailypapers embed\``,
      );
    return connectEmbeddingServer(server);
  }
  const { loadTransformersEmbedder } = await import('./transformers-embedder.js');
  return loadTransformersEmbedder(outside.location, model.id);
}

function lsaEmbedder(modelId: string, lsa: LsaModel): Embedder {
  return { modelId, dimensions: lsa.dimensions, embed: async (texts) => embedLsa(lsa, texts) };
}

/** The active model's embedder of one database, loaded once per model and kept by the app context that owns it. */
export class EmbedderCache {
  #loaded: { modelId: string; embedder: Promise<Embedder> } | null = null;

  /** The embeddings server the settings name (EMBEDDING_URL), if any. */
  constructor(readonly server?: EmbeddingServer) {}

  /** The embedder of the active model, or null when there is none yet. */
  async active(db: Db): Promise<Embedder | null> {
    const model = await activeEmbeddingModel(db);
    if (!model) return null;
    if (this.#loaded?.modelId === model.id) return this.#loaded.embedder;
    const embedder = loadEmbedder(db, model, this.server);
    const loaded = { modelId: model.id, embedder };
    this.#loaded = loaded;
    embedder.catch(() => {
      if (this.#loaded === loaded) this.#loaded = null;
    });
    return embedder;
  }

  /** Makes a just-activated model's embedder the loaded one, so it is not read back from the database and loaded again. */
  remember(embedder: Embedder): Embedder {
    this.#loaded = { modelId: embedder.modelId, embedder: Promise.resolve(embedder) };
    return embedder;
  }
}

export interface EmbeddingSettings {
  /** A transformers model folder (or hub-cache name); unset: the corpus-learned model. */
  embeddingModel?: string;
  /** Refit the corpus-learned model now, whatever the rule says. */
  refit?: boolean;
  logger?: Logger;
}

/**
 * Makes the model the settings ask for the active one: registers a transformers model, or fits
 * the corpus-learned model when there is none or the refit rule says so. Null when there is
 * nothing to fit on yet.
 */
export async function prepareEmbedder(
  { db, embedders }: Pick<SearchContext, 'db' | 'embedders'>,
  settings: EmbeddingSettings,
): Promise<Embedder | null> {
  const active = await activeEmbeddingModel(db);
  if (embedders.server) return prepareServerEmbedder({ db, embedders }, embedders.server, active, settings);
  if (settings.embeddingModel) {
    const { loadTransformersEmbedder, transformersModelId } = await import('./transformers-embedder.js');
    const id = transformersModelId(settings.embeddingModel);
    if (active?.id !== id) {
      const embedder = await loadTransformersEmbedder(settings.embeddingModel, id);
      const data = outsideModelData({ location: settings.embeddingModel });
      await activateEmbeddingModel(db, {
        id,
        kind: 'transformers',
        dimensions: embedder.dimensions,
        fittedPapers: 0,
        data,
      });
      settings.logger?.info({ model: id, dimensions: embedder.dimensions }, 'embedding model activated');
      return embedders.remember(embedder);
    } else if (settings.refit) {
      await deleteModelVectors(db, id);
    }
    return embedders.active(db);
  }
  const papers = await countPapers(db);
  if (papers === 0) return null;
  if (active?.kind === 'lsa' && !settings.refit && !lsaNeedsRefit(active.fittedPapers, papers))
    return embedders.active(db);
  const started = performance.now();
  const sample = await corpusSample(db, LSA_MAX_FIT_DOCUMENTS);
  const model = fitLsa(sample.texts.map(paperText), lsaFitOptions(sample.papers));
  const id = `lsa-${model.dimensions}d-${Date.now().toString(36)}`;
  await activateEmbeddingModel(db, {
    id,
    kind: 'lsa',
    dimensions: model.dimensions,
    fittedPapers: sample.papers,
    data: encodeLsa(model),
  });
  settings.logger?.info(
    {
      model: id,
      papers: sample.papers,
      terms: model.vocabulary.length,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
    'corpus embedding model fitted; every paper will be re-embedded with it',
  );
  return embedders.remember(lsaEmbedder(id, model));
}

/**
 * The embeddings server's model made the active one. It is asked for a vector first: a server that
 * is down or answers garbage fails here, before the old model and its vectors are replaced.
 */
async function prepareServerEmbedder(
  { db, embedders }: Pick<SearchContext, 'db' | 'embedders'>,
  server: EmbeddingServer,
  active: EmbeddingModelRow | null,
  settings: EmbeddingSettings,
): Promise<Embedder> {
  const id = serverModelId(server);
  if (active?.id === id) {
    if (settings.refit) await deleteModelVectors(db, id);
    return (await embedders.active(db))!;
  }
  const embedder = await connectEmbeddingServer(server, settings.logger);
  await activateEmbeddingModel(db, {
    id,
    kind: 'transformers',
    dimensions: embedder.dimensions,
    fittedPapers: 0,
    data: outsideModelData({ serverModel: server.model }),
  });
  settings.logger?.info(
    { model: id, dimensions: embedder.dimensions, previous: active?.id ?? null },
    'embeddings server model activated; every paper will be embedded with it',
  );
  return embedders.remember(embedder);
}
