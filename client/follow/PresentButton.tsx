import { useStore } from 'zustand';
import type { BoardSession } from '../board/session.ts';
import { followFor } from './followController.ts';

/**
 * "Present" in the board header: asks everyone on the board, viewers too, to follow this
 * user until they stop. Only on an edit link (a stakeholder does not take over the review).
 */
export function PresentButton({ session }: { session: BoardSession }) {
  const follow = followFor(session);
  if (!follow || session.readOnly) return null;
  return <PresentToggle follow={follow} />;
}

function PresentToggle({ follow }: { follow: NonNullable<ReturnType<typeof followFor>> }) {
  const presenting = useStore(follow.state, (s) => s.presentingSelf);
  return (
    <button
      type="button"
      className={`button small present-button${presenting ? ' presenting' : ''}`}
      aria-pressed={presenting}
      title={presenting ? 'Stop presenting' : 'Present: everyone on the board follows your view'}
      onClick={() => (presenting ? follow.stopPresenting() : follow.startPresenting())}
    >
      <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <rect x="3" y="4" width="18" height="12" rx="1.5" />
        <path d="M12 16v4M8 20h8" />
      </svg>
      {presenting ? 'Stop presenting' : 'Present'}
    </button>
  );
}
