import type { Comment } from '../store/comments.js';

export interface CommentNode {
  comment: Comment;
  replies: CommentNode[];
}

/**
 * Arranges comments (oldest first) into threads: each reply under its parent, in order.
 * A reply whose parent is missing is kept as a top-level comment rather than lost.
 */
export function buildThreads(comments: readonly Comment[]): CommentNode[] {
  const nodes = new Map(comments.map((c) => [c.id, { comment: c, replies: [] as CommentNode[] }]));
  const roots: CommentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId === null ? undefined : nodes.get(node.comment.parentId);
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}
