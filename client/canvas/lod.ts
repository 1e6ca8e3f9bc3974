/** Level of detail: below this zoom cards are drawn as plain rectangles, without text. */
export type Detail = 'full' | 'low';
export const LOW_DETAIL_BELOW = 0.3;

export function detailFor(zoom: number): Detail {
  return zoom < LOW_DETAIL_BELOW ? 'low' : 'full';
}
