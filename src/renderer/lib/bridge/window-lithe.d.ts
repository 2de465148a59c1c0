import type { LitheBridge } from '../../../contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the UI runs in a browser through `lithe serve`. */
    readonly litheBridge?: LitheBridge;
  }
}
