import { useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { BoardSession } from '../board/session.ts';
import { followFor, type FollowController } from './followController.ts';
import { installFollowTestHook } from './testHooks.ts';

/**
 * The frame in the followed person's colour around the board and the banner above it:
 * "Following Ada — press Esc or pan to stop", "Ada is presenting — Stop following / Follow
 * again", or, for the presenter, "You are presenting to N — Stop".
 */
export function FollowBanner({ session, selfColor }: { session: BoardSession; selfColor: string }) {
  const follow = followFor(session);
  return follow ? <Banner follow={follow} selfColor={selfColor} /> : null;
}

function Banner({ follow, selfColor }: { follow: FollowController; selfColor: string }) {
  const s = useStore(follow.state);
  useEffect(() => installFollowTestHook(follow), [follow]);

  if (s.presentingSelf) {
    const n = s.audience;
    return (
      <Frame color={selfColor} kind="presenting">
        <span>
          You are presenting to <strong>{n}</strong> {n === 1 ? 'person' : 'people'}
        </span>
        <button type="button" className="follow-banner-action" onClick={() => follow.stopPresenting()}>
          Stop
        </button>
      </Frame>
    );
  }
  if (s.target !== null && s.targetUser) {
    const name = s.targetUser.name;
    return (
      <Frame color={s.targetUser.color} kind="following">
        {s.reason === 'presenter' ? (
          <span>
            <strong>{name}</strong> is presenting
          </span>
        ) : (
          <span>
            Following <strong>{name}</strong> — press Esc or pan to stop
          </span>
        )}
        <button type="button" className="follow-banner-action" onClick={() => follow.stop()}>
          Stop following
        </button>
      </Frame>
    );
  }
  if (s.presenter !== null && s.presenterUser) {
    // Stepped out of a presentation: no frame, a quiet way back in.
    return (
      <div className="follow-banner-slot">
        <div className="follow-banner quiet" role="status" style={{ ['--follow-color' as string]: s.presenterUser.color }}>
          <span>
            <strong>{s.presenterUser.name}</strong> is presenting
          </span>
          <button type="button" className="follow-banner-action" onClick={() => follow.followPresenter()}>
            Follow again
          </button>
        </div>
      </div>
    );
  }
  return null;
}

function Frame({ color, kind, children }: { color: string; kind: 'following' | 'presenting'; children: ReactNode }) {
  return (
    <>
      <div className="follow-frame" data-kind={kind} style={{ ['--follow-color' as string]: color }} aria-hidden="true" />
      {/* The slot spans the free canvas area (styles.css) so the banner centres clear of panels. */}
      <div className="follow-banner-slot">
        <div className="follow-banner" data-kind={kind} role="status" style={{ ['--follow-color' as string]: color }}>
          {children}
        </div>
      </div>
    </>
  );
}
