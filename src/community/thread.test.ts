import { describe, expect, it } from 'vitest';
import type { Comment } from '../store/comments.js';
import { buildThreads } from './thread.js';

function comment(id: number, parentId: number | null): Comment {
  return {
    id,
    parentId,
    paperId: '2501.00001',
    author: { id: 'u', username: 'ada' },
    body: `c${id}`,
    html: `<p>c${id}</p>`,
    hidden: false,
    createdAt: `2026-01-01T00:00:0${id}Z`,
    editedAt: null,
    deletedAt: null,
  };
}

const shape = (nodes: ReturnType<typeof buildThreads>): unknown[] => nodes.map((n) => [n.comment.id, shape(n.replies)]);

describe('buildThreads', () => {
  it('nests replies under their parents, oldest first', () => {
    const threads = buildThreads([comment(1, null), comment(2, 1), comment(3, null), comment(4, 2), comment(5, 1)]);
    expect(shape(threads)).toEqual([
      [
        1,
        [
          [2, [[4, []]]],
          [5, []],
        ],
      ],
      [3, []],
    ]);
  });

  it('keeps a reply whose parent is missing at the top level', () => {
    expect(shape(buildThreads([comment(2, 1), comment(3, null)]))).toEqual([
      [2, []],
      [3, []],
    ]);
  });
});
