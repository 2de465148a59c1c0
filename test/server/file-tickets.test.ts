import { describe, expect, it } from 'vitest';
import { createFileTickets, MAX_TICKETS, TICKET_LIFETIME_MS } from '../../src/server/file-tickets';

describe('file tickets', () => {
  it('open their one file for their one use until they expire', () => {
    let time = 1_000;
    const tickets = createFileTickets(() => time);
    const id = tickets.issue({ path: '/runs/a/report.html', use: 'view' });
    expect(id).not.toBeNull();
    expect(tickets.redeem(id, 'view')).toEqual({ path: '/runs/a/report.html', use: 'view' });
    expect(tickets.redeem(id, 'download')).toBeNull();
    expect(tickets.redeem('other', 'view')).toBeNull();
    expect(tickets.redeem(null, 'view')).toBeNull();
    time += TICKET_LIFETIME_MS;
    expect(tickets.redeem(id, 'view')).toBeNull();
  });

  it('are bounded in number; expired ones make room', () => {
    let time = 0;
    const tickets = createFileTickets(() => time);
    for (let i = 0; i < MAX_TICKETS; i++) expect(tickets.issue({ path: `/runs/${i}`, use: 'download' })).not.toBeNull();
    expect(tickets.issue({ path: '/runs/more', use: 'download' })).toBeNull();
    time += TICKET_LIFETIME_MS;
    expect(tickets.issue({ path: '/runs/more', use: 'download' })).not.toBeNull();
  });
});
