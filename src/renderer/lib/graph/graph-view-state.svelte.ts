import type { OverlayKind } from './overlays';

/** The graph page's choices, kept while the user visits other pages. */
export class GraphViewState {
  /** The run whose results colour the graph; empty for the newest. */
  runDir = $state('');
  side: 'original' | 'optimized' = $state('original');
  overlay: OverlayKind = $state('error');
}
