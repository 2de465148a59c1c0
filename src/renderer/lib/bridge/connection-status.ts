/** State of the link between the UI and the Lithe engine. */
export type ConnectionStatus = 'connecting' | 'open' | 'lost';

/** Observes the link and can ask for an immediate reconnect. */
export interface Connection {
  readonly status: ConnectionStatus;
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
  retryNow(): void;
}

/** A connection that never drops: the Electron preload talks over IPC inside one process tree. */
export const alwaysOpen: Connection = {
  status: 'open',
  subscribe: () => () => {},
  retryNow: () => {},
};
