import { BubbleIcon } from './CommentsButton.tsx';

/** A small speech bubble with the number of open threads (timeline grid rows); click opens them. */
export function CommentCount({ count, onOpen }: { count: number; onOpen(): void }) {
  if (count <= 0) return null;
  return (
    <button
      type="button"
      className="comment-count"
      aria-label={`${count} open comment thread${count === 1 ? '' : 's'}`}
      title={`${count} open comment thread${count === 1 ? '' : 's'}`}
      onPointerDown={(e) => e.stopPropagation()}
      onClick={onOpen}
    >
      <BubbleIcon />
      {count}
    </button>
  );
}
