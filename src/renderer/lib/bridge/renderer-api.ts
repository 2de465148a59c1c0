import type { LitheApi } from '../../../contract';

/**
 * The contract as the renderer uses it: {@link LitheApi} plus the desktop app's native folder picker,
 * which `LitheBridge` carries but the contract's `LitheApi` does not name yet.
 */
export interface RendererApi extends LitheApi {
  /** Native folder picker (Electron only); resolves to null when the user cancels. */
  pickFolder?: (title: string) => Promise<string | null>;
  /**
   * The address at which the web host sends a run's file (an optimized model, a report): `download`
   * saves it, `view` opens a report in a tab. Absent in the desktop app.
   */
  runFileUrl?: (path: string, how: 'download' | 'view') => string;
}
