import { randomBytes } from 'node:crypto';
import type { RunFileUse } from './run-files';

/** How long a ticket opens its file, from when the page asked for it. */
export const TICKET_LIFETIME_MS = 60_000;
/** Tickets alive at once; the page asks for one per click. */
export const MAX_TICKETS = 256;

/** What one ticket opens: one file, for one use (download or view). */
export interface FileTicket {
  path: string;
  use: RunFileUse;
}

/** Short-lived tickets, each for one file: see {@link createFileTickets}. */
export interface FileTickets {
  /** A new ticket for `path`; null when too many are alive. */
  issue(ticket: FileTicket): string | null;
  /** What `id` opens, when it is a live ticket for `use`; else null. */
  redeem(id: string | null, use: RunFileUse): FileTicket | null;
}

/**
 * Tickets that let a plain link (a download, a report in a new tab) fetch one run file without the
 * page token in its URL: the page asks for one over an authenticated request, and the ticket opens
 * only that file, only for that use, for {@link TICKET_LIFETIME_MS}.
 */
export function createFileTickets(now: () => number = Date.now): FileTickets {
  const live = new Map<string, FileTicket & { expires: number }>();
  const prune = (): void => {
    const time = now();
    for (const [id, ticket] of live) if (ticket.expires <= time) live.delete(id);
  };
  return {
    issue(ticket) {
      prune();
      if (live.size >= MAX_TICKETS) return null;
      const id = randomBytes(24).toString('base64url');
      live.set(id, { ...ticket, expires: now() + TICKET_LIFETIME_MS });
      return id;
    },
    redeem(id, use) {
      prune();
      const ticket = id === null ? undefined : live.get(id);
      return ticket && ticket.use === use ? { path: ticket.path, use: ticket.use } : null;
    },
  };
}
