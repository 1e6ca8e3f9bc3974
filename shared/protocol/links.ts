import type { BoardRole } from './api.ts';

/**
 * REST contract of a board's links (docs/api.md "Links"): minting an extra link (an expiring
 * view link for a review, say) and resetting a link (every older token of that role stops
 * working). Both need the edit token.
 */

/** The longest expiry a minted link may have: one year. */
export const MAX_LINK_EXPIRY_SECONDS = 365 * 24 * 60 * 60;

/** POST /api/boards/:id/links body. */
export interface MintLinkRequest {
  role: BoardRole;
  /** Whole seconds from now, 1 … MAX_LINK_EXPIRY_SECONDS; absent = never expires. */
  expiresInSeconds?: number;
}

/** POST /api/boards/:id/links -> 201. */
export interface MintLinkResponse {
  role: BoardRole;
  token: string;
  /** Absolute URL of the board page with this token. */
  url: string;
  /** ISO 8601, or null when the link never expires. */
  expiresAt: string | null;
}

/** POST /api/boards/:id/links/reset body. */
export interface ResetLinkRequest {
  role: BoardRole;
}

/** POST /api/boards/:id/links/reset -> 200: the new link; every older token of `role` is revoked. */
export interface ResetLinkResponse {
  role: BoardRole;
  token: string;
  url: string;
  /** The link's new generation (1 after the first reset). */
  generation: number;
}

/** Why a link with a valid signature is refused (403 body `reason`, REST and WebSocket upgrade). */
export type LinkRefusalReason = 'revoked' | 'expired';

/** Reads the `reason` of a 403 body; anything else is null. Untrusted input. */
export function readLinkRefusalReason(body: unknown): LinkRefusalReason | null {
  if (typeof body !== 'object' || body === null) return null;
  const reason = (body as Record<string, unknown>).reason;
  return reason === 'revoked' || reason === 'expired' ? reason : null;
}
