import * as Y from 'yjs';

/**
 * The top-level types of a board's Y.Doc. Each entity map is keyed by entity id and holds
 * one nested Y.Map per entity, one key per field, so concurrent edits of different fields of
 * one entity merge. See docs/schema.md.
 */
export const TOP_LEVEL = {
  tasks: 'tasks',
  deps: 'deps',
  notes: 'notes',
  meta: 'meta',
  baselines: 'baselines',
} as const;

/** A nested entity map: field name -> value (numbers, strings, Y.Text for co-edited text). */
export type EntityMap = Y.Map<unknown>;

export interface BoardMaps {
  tasks: Y.Map<unknown>;
  deps: Y.Map<unknown>;
  notes: Y.Map<unknown>;
  meta: Y.Map<unknown>;
  /** Baseline id -> Y.Map {name, createdAt, tasks (plain JSON, written once)}. */
  baselines: Y.Map<unknown>;
}

/** The board's top-level maps (created on first access, as Yjs does for every client). */
export function boardMaps(doc: Y.Doc): BoardMaps {
  return {
    tasks: doc.getMap(TOP_LEVEL.tasks),
    deps: doc.getMap(TOP_LEVEL.deps),
    notes: doc.getMap(TOP_LEVEL.notes),
    meta: doc.getMap(TOP_LEVEL.meta),
    baselines: doc.getMap(TOP_LEVEL.baselines),
  };
}

/** The entity map stored under `id`, or null when it is absent or not a Y.Map (a foreign write). */
export function entityMap(container: Y.Map<unknown>, id: string): EntityMap | null {
  const value = container.get(id);
  return value instanceof Y.Map ? (value as EntityMap) : null;
}

/** Plain values of an entity map, with Y.Text flattened to a string. */
export function entityFields(entity: EntityMap): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  entity.forEach((value, key) => {
    raw[key] = value instanceof Y.Text ? value.toString() : value;
  });
  return raw;
}
