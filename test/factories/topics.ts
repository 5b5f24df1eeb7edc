import type { PaperRecord } from '../../src/store/papers.js';

/**
 * A small corpus with four topics whose papers reuse each topic's words, so a corpus-learned model
 * relates them: "automobile" and "car" appear together in the vehicle papers, and one of those
 * (`2501.00104`) says only "car" — a paraphrase a keyword search for "automobile" misses.
 */
const TOPICS: { category: string; author: string; published: string; texts: [string, string][] }[] = [
  {
    category: 'cs.RO',
    author: 'Karl Benz',
    published: '2025-01-10',
    texts: [
      [
        'Automobile engine efficiency',
        'The car engine of an automobile burns fuel; we measure car fuel consumption on the road.',
      ],
      [
        'Electric automobile batteries',
        'Batteries for the electric car: automobile range, charging and road tests of each car.',
      ],
      [
        'Automobile traffic on highways',
        'Car traffic and automobile speed on the highway road network, with driver behaviour.',
      ],
      [
        'Self-driving automobile control',
        'Steering a car without a driver: automobile lane keeping and road sign detection.',
      ],
      [
        'Car safety on the road',
        'How well a car protects its driver on the road: the engine, fuel, tyres and braking of a car.',
      ],
      [
        'Automobile tyres and braking',
        'Car tyres grip the road; automobile braking distance depends on the driver and fuel load.',
      ],
    ],
  },
  {
    category: 'q-bio.BM',
    author: 'Rosalind Franklin',
    published: '2025-03-05',
    texts: [
      [
        'Protein folding kinetics',
        'Enzyme and protein folding: amino acid chains fold into a protein structure within the cell.',
      ],
      [
        'Enzyme catalysis in cells',
        'An enzyme speeds a reaction in the cell; protein binding sites and amino acid residues.',
      ],
      [
        'Protein interaction networks',
        'Protein pairs bind in the cell; enzyme complexes and amino acid contacts form networks.',
      ],
      [
        'Membrane protein transport',
        'Proteins carry ions across the cell membrane; enzyme pumps use amino acid gates.',
      ],
      [
        'Enzyme inhibitors as drugs',
        'Drugs block an enzyme active site; protein targets and amino acid mutations in the cell.',
      ],
      [
        'Protein design by evolution',
        'Directed evolution of an enzyme: protein variants, amino acid changes, cell screens.',
      ],
    ],
  },
  {
    category: 'astro-ph.GA',
    author: 'Vera Rubin',
    published: '2025-06-20',
    texts: [
      [
        'Galaxy rotation curves',
        'Stars orbit the galaxy centre; dark matter explains the star velocities in each galaxy.',
      ],
      [
        'Star formation in spiral galaxies',
        'Gas clouds collapse into a star; spiral galaxy arms host young stars and telescope images.',
      ],
      [
        'Galaxy clusters and lensing',
        'A galaxy cluster bends light from a distant star; telescope surveys of galaxy mass.',
      ],
      ['Supernova explosions', 'A massive star explodes; the galaxy gains heavy elements seen by the telescope.'],
      [
        'Black holes at galaxy centres',
        'A black hole at the galaxy centre swallows stars; telescope observations of star orbits.',
      ],
      [
        'Telescope surveys of the sky',
        'A sky survey telescope maps every galaxy and star; catalogues of galaxy shapes.',
      ],
    ],
  },
  {
    category: 'cs.CL',
    author: 'Emily Dickinson',
    published: '2025-09-01',
    texts: [
      ['Poem generation with rhyme', 'A language model writes a poem; rhyme and metre in poetry, verse by verse.'],
      ['Metre in classical poetry', 'Poetry metre and rhyme patterns: each verse of a poem scanned for stress.'],
      ['Translating poetry', 'Translating a poem keeps rhyme and metre; verse translation of poetry collections.'],
      [
        'Poetry authorship attribution',
        'Who wrote a poem: verse style, rhyme choice and metre as poetry fingerprints.',
      ],
      ['Reading poetry aloud', 'Speech synthesis of a poem; verse rhythm, rhyme and metre of recited poetry.'],
      ['Poetry in social media', 'Short verse posted online: rhyme, poem length and metre in popular poetry.'],
    ],
  },
];

export const PARAPHRASED_ID = '2501.00104';

export function topicPapers(): PaperRecord[] {
  return TOPICS.flatMap((topic, t) =>
    topic.texts.map(([title, abstract], i) => ({
      id: `2501.${String((t + 1) * 100 + i).padStart(5, '0')}`,
      title,
      abstract,
      authors: [{ name: topic.author }, { name: 'Pat Coauthor' }],
      categories: [topic.category],
      publishedOn: topic.published,
    })),
  );
}
