import type { FollowController, FollowState } from './followController.ts';

/**
 * Test hooks on `window.planvas` for follow mode and the laser (end-to-end tests read them;
 * they never drive anything).
 */
declare global {
  interface PlanvasTestHooks {
    /** Follow state of this page (whom it follows, who presents). */
    follow?: () => FollowState;
    /** Laser trails the canvas draws right now, by client id, with their visible point counts. */
    laser?: () => Array<{ clientId: number; points: number }>;
  }
}

export function installFollowTestHook(controller: FollowController): () => void {
  const hook = () => controller.state.getState();
  window.planvas = { ...window.planvas, follow: hook };
  return () => {
    if (window.planvas?.follow === hook) window.planvas = { ...window.planvas, follow: undefined };
  };
}

export function installLaserTestHook(snapshot: () => Array<{ clientId: number; points: number }>): () => void {
  window.planvas = { ...window.planvas, laser: snapshot };
  return () => {
    if (window.planvas?.laser === snapshot) window.planvas = { ...window.planvas, laser: undefined };
  };
}
