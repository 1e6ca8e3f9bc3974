import type { LinkRefusal } from '../../shared/doc/ops.ts';

/** What to tell the user when a link cannot be made. */
export function linkRefusalMessage(reason: LinkRefusal): string {
  switch (reason) {
    case 'cycle':
      return 'That link would close a loop of dependencies, so it was not made.';
    case 'duplicate':
      return 'These tasks are already linked.';
    case 'same-task':
      return 'A task cannot depend on itself.';
    case 'summary-and-subtask':
      return 'A summary task cannot be linked to one of its own subtasks.';
    default:
      return 'One of the tasks no longer exists.';
  }
}
