import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../shared/ids.ts';
import type { BoardInfoResponse } from '../../shared/protocol/api.ts';
import type { MintLinkResponse, ResetLinkResponse } from '../../shared/protocol/links.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { waitFor, type TestClient } from '../helpers/clients.ts';
import { synced } from '../helpers/cluster.ts';
import { clusterSuite } from '../helpers/clusterSuite.ts';
import { upgradeRefusal } from '../helpers/links.ts';
import { boardApiUrl } from '../helpers/server.ts';

/**
 * Links on two instances sharing one PostgreSQL and one Redis: a link reset through one
 * instance stops the old link on the other too (new connections and REST refused, open ones
 * closed 4401), and an expiring link minted on one expires on both.
 */
describe('link reset and expiry across instances', () => {
  const suite = clusterSuite({ redis: true });

  const post = (base: string, id: string, route: string, token: string, body: unknown) =>
    fetch(boardApiUrl(base, id, route), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const addTask = (client: TestClient, title: string) => client.doc.getMap('tasks').set(newId(), new Y.Map([['title', title]]));
  const hasTask = (client: TestClient, title: string) => [...client.doc.getMap<Y.Map<unknown>>('tasks').values()].some((t) => t.get('title') === title);

  it('an edit link reset through A closes its connections on B and is refused there; the new link and the view link work on both', async () => {
    const cluster = await suite.cluster({ secret: null });
    const board = await cluster.createBoard(0, 'Reset across instances');
    const [a, b] = [cluster.node(0), cluster.node(1)];
    const oldOnB = cluster.connect(1, board.id, board.editToken);
    const viewerOnB = cluster.connect(1, board.id, board.viewToken);
    const oldOnA = cluster.connect(0, board.id, board.editToken);
    await synced([oldOnB, viewerOnB, oldOnA]);

    const res = await post(a.url, board.id, 'links/reset', board.editToken, { role: 'edit' });
    expect(res.status).toBe(200);
    const reset = (await res.json()) as ResetLinkResponse;
    expect(reset.generation).toBe(1);

    await waitFor(() => oldOnA.closeCodes.includes(CloseCode.linkRevoked), 'the old edit connection on A to close 4401', 10_000);
    await waitFor(() => oldOnB.closeCodes.includes(CloseCode.linkRevoked), 'the old edit connection on B to close 4401', 10_000);
    for (const node of [a, b]) {
      expect(await upgradeRefusal(`${node.wsUrl}/${board.id}?token=${encodeURIComponent(board.editToken)}`)).toEqual({
        status: 403,
        body: { error: 'link revoked', reason: 'revoked' },
      });
      const rest = await fetch(boardApiUrl(node.url, board.id, '', board.editToken));
      expect(rest.status).toBe(403);
      expect(((await rest.json()) as { reason?: string }).reason).toBe('revoked');
      expect(((await (await fetch(boardApiUrl(node.url, board.id, '', reset.token))).json()) as BoardInfoResponse).role).toBe('edit');
    }

    // The new link edits through B; the viewer on B (never closed) sees it.
    const newOnB = cluster.connect(1, board.id, reset.token);
    await synced([newOnB]);
    addTask(newOnB, 'with the new link');
    await waitFor(() => hasTask(viewerOnB, 'with the new link'), 'the viewer on B to see the new edit', 10_000);
    expect(viewerOnB.closeCodes).toEqual([]);
  }, 90_000);

  it('an expiring link minted on A opens the board on B until it expires, then neither instance accepts it', async () => {
    const cluster = await suite.cluster();
    const board = await cluster.createBoard(0, 'Expiry across instances');
    const [a, b] = [cluster.node(0), cluster.node(1)];
    const minted = (await (await post(a.url, board.id, 'links', board.editToken, { role: 'view', expiresInSeconds: 2 })).json()) as MintLinkResponse;
    expect((await fetch(boardApiUrl(b.url, board.id, '', minted.token))).status).toBe(200);
    const onB = cluster.connect(1, board.id, minted.token);
    await synced([onB]);
    await waitFor(() => onB.closeCodes.includes(CloseCode.linkRevoked), 'the connection on B to close at expiry', 10_000);
    for (const node of [a, b]) {
      expect(await upgradeRefusal(`${node.wsUrl}/${board.id}?token=${encodeURIComponent(minted.token)}`)).toEqual({
        status: 403,
        body: { error: 'link expired', reason: 'expired' },
      });
    }
  }, 60_000);
});
