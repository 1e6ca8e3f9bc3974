import { splitMentions } from '../../shared/comments/mentions.ts';

/** A message's text with its @mentions highlighted (the names stored with the message). */
export function MentionText({ text, mentions, self }: { text: string; mentions: readonly string[]; self: string }) {
  const segments = splitMentions(text, mentions);
  return (
    <p className="comment-text">
      {segments.map((s, i) =>
        s.mention ? (
          <span key={i} className={`comment-mention${s.mention.toLowerCase() === self.toLowerCase() ? ' is-self' : ''}`} title={s.mention}>
            {s.text}
          </span>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </p>
  );
}
