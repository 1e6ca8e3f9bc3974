import { CloseCode } from '../../shared/protocol/wire.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { localFanout, type Fanout } from '../cluster/fanout.ts';
import { Room, RoomUnavailableError, type Peer, type RoomDeps } from './room.ts';

/**
 * The registry of open boards: loads a board on its first join, unloads it (after flushing)
 * when its last peer left, and never hands out a room that is still unloading.
 *
 * @example const room = await rooms.join(boardId, peer); room.receive(peer, msg)
 */
export class Rooms {
  private readonly open = new Map<string, Room>();
  private readonly unloading = new Map<string, Promise<unknown>>();
  /** Boards whose unloaded room is still saving its last version (after the flush that `unloading` waits for). */
  private readonly versionSaves = new Map<string, Promise<void>>();
  /** Boards deleted while this server runs: a join or REST call that raced the delete is refused, never reloads one. */
  private readonly deleted = new Set<string>();
  private closed = false;

  constructor(
    /** What every room gets; the registry adds the lifecycle callbacks. */
    private readonly deps: Omit<RoomDeps, 'onFailed' | 'onEmpty' | 'onGone'>,
  ) {}

  private get fanout(): Fanout {
    return this.deps.fanout ?? localFanout('local');
  }

  /** Number of members (connections and REST users) of a loaded board; 0 when it is not loaded. */
  memberCount(boardId: string): number {
    return this.open.get(boardId)?.memberCount ?? 0;
  }

  /**
   * A link of `role` was reset to `generation`: connections that opened the board with an
   * older link of that role are closed with 4401, here and (through the fan-out) on every
   * other instance. New connections are refused by the token check itself.
   */
  revokeLinks(boardId: string, role: BoardRole, generation: number): void {
    const room = this.open.get(boardId);
    if (room) room.revokeLinks(role, generation);
    else this.fanout.publishControl(boardId, { kind: 'links-rotated', role, generation });
  }

  get size(): number {
    return this.open.size;
  }

  /** The loaded room of a board, if any (for read-only views such as the REST title). */
  peek(boardId: string): Room | undefined {
    const room = this.open.get(boardId);
    return room?.isReady ? room : undefined;
  }

  /** Joins the board's room, loading it first if needed. Resolves null (peer closed with 1001) after closeAll. */
  async join(boardId: string, peer: Peer): Promise<Room | null> {
    // A board being unloaded is flushed first, so the new room loads the compacted state.
    while (this.unloading.has(boardId)) await this.unloading.get(boardId);
    if (this.closed) {
      peer.close(CloseCode.goingAway, 'server shutting down');
      return null;
    }
    if (this.deleted.has(boardId)) {
      peer.close(CloseCode.boardDeleted, 'board deleted');
      return null;
    }
    const room = this.openRoom(boardId);
    room.join(peer);
    return room;
  }

  /**
   * Runs `fn` with the board's room loaded (loading it if needed), counted as a member while
   * `fn` runs, so it is not unloaded underneath; afterwards it unloads as usual once empty.
   * Use `room.read` / `room.applyServerEdit` inside. Rejects with RoomUnavailableError after
   * closeAll. The caller checks that the board exists first.
   *
   * @example const csv = await rooms.withRoom(id, (room) => room.read((doc) => exportPlanCsv(...)))
   */
  async withRoom<T>(boardId: string, fn: (room: Room) => Promise<T>): Promise<T> {
    while (this.unloading.has(boardId)) await this.unloading.get(boardId);
    if (this.closed) throw new RoomUnavailableError(boardId, 'server shutting down');
    if (this.deleted.has(boardId)) throw new RoomUnavailableError(boardId, 'deleted');
    const room = this.openRoom(boardId);
    room.retain();
    try {
      return await fn(room);
    } finally {
      room.release();
    }
  }

  /**
   * Deletes a board for good: `store.deleteBoard` runs inside the open room's queue (after the
   * edits already accepted), then every connection is closed with 4404 "board deleted" and the
   * room is dropped without being flushed back. Later joins get 4404 too. Resolves false for
   * an unknown board. If the storage delete fails, nothing changes and the error propagates.
   *
   * @example if (await rooms.deleteBoard(id)) return c.body(null, 204)
   */
  async deleteBoard(boardId: string): Promise<boolean> {
    // A board being unloaded finishes its flush and its last version first; the delete then
    // removes those too. Checked again after each wait: a room may have opened and unloaded meanwhile.
    for (;;) {
      const pending = this.unloading.get(boardId) ?? this.versionSaves.get(boardId);
      if (!pending) break;
      await pending;
    }
    const remove = async () => {
      const removed = await this.deps.store.deleteBoard(boardId);
      this.deleted.add(boardId);
      // Other instances close their connections to it at once (they would also notice on their next log poll).
      this.fanout.publishControl(boardId, { kind: 'deleted' });
      return removed;
    };
    const room = this.open.get(boardId);
    if (!room) return remove();
    const removed = await room.deleteWith(remove);
    this.forget(room);
    return removed;
  }

  private openRoom(boardId: string): Room {
    let room = this.open.get(boardId);
    if (!room) {
      room = new Room(boardId, {
        ...this.deps,
        onFailed: (r) => this.forget(r),
        versionsBefore: this.versionSaves.get(boardId),
        onEmpty: (r) => this.scheduleUnload(r),
        onGone: (r) => {
          this.deleted.add(r.boardId);
          this.forget(r);
        },
      });
      this.open.set(boardId, room);
      this.deps.metrics.add('planvas_open_rooms', 1);
      room.load();
    }
    return room;
  }

  /** Closes every peer (1001), flushes every room and forgets them (SIGTERM). */
  async closeAll(): Promise<void> {
    this.closed = true;
    const rooms = [...this.open.values()];
    for (const room of rooms) this.forget(room);
    await Promise.all([...rooms.map((room) => room.close(CloseCode.goingAway)), ...this.unloading.values(), ...this.versionSaves.values()]);
  }

  private scheduleUnload(room: Room): void {
    const id = room.boardId;
    let release!: () => void;
    const flushed = new Promise<void>((resolve) => (release = resolve));
    const stored = () => {
      if (this.unloading.get(id) === flushed) this.unloading.delete(id);
      release();
    };
    // The unload decision is made inside the room's queue: a join that got in first keeps it.
    // Once it starts, the room leaves the registry and new joins wait for the flush (the
    // compaction), then reload; the last version's save (a summary of a big board takes the
    // worker a second) goes on meanwhile, and the new room's saves queue behind it.
    let finished!: () => void;
    const versionSaved = new Promise<void>((resolve) => (finished = resolve));
    void room
      .unloadIfEmpty(() => {
        this.forget(room);
        this.unloading.set(id, flushed);
        this.versionSaves.set(id, versionSaved);
      }, stored)
      .then((gone) => {
        if (this.versionSaves.get(id) === versionSaved) this.versionSaves.delete(id);
        finished();
        if (!gone) return;
        stored();
        this.deps.logger.debug('room unloaded', { boardId: id });
      });
  }

  private forget(room: Room): void {
    if (this.open.get(room.boardId) === room) {
      this.open.delete(room.boardId);
      this.deps.metrics.add('planvas_open_rooms', -1);
    }
  }
}
