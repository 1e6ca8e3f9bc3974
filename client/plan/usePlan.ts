import { useEffect, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { boardModelFor, retainBoardModel } from '../canvas/useBoardModel.ts';
import { planModelFor, retainPlanModel, type PlanModel } from './planModel.ts';

/** The board's shared PlanModel, live while mounted; re-renders on every change of the plan. */
export function usePlan(doc: Y.Doc): PlanModel {
  const board = boardModelFor(doc);
  const plan = planModelFor(doc, board);
  useEffect(() => {
    const releaseBoard = retainBoardModel(doc);
    const releasePlan = retainPlanModel(doc, board);
    return () => {
      releasePlan();
      releaseBoard();
    };
  }, [doc, board]);
  useSyncExternalStore(plan.subscribe, plan.getVersion);
  return plan;
}
