import type { Connection, ConnectionStatus } from './connection-status';

/** Reactive view of a {@link Connection} for components. */
export class ConnectionState {
  status: ConnectionStatus = $state('connecting');
  /** True once the link has been up at least once (to tell "connecting" from "lost"). */
  everOpen = $state(false);
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
    this.#update(connection.status);
    connection.subscribe((status) => this.#update(status));
  }

  /** Try to reconnect now instead of waiting for the next automatic attempt. */
  retryNow(): void {
    this.#connection.retryNow();
  }

  #update(status: ConnectionStatus): void {
    this.status = status;
    if (status === 'open') this.everOpen = true;
  }
}
