import type { IconName } from '../../components/icons';

/** The pages of the app, in navigation order. */
export type PageId = 'open' | 'model' | 'optimize' | 'benchmark' | 'devices' | 'batch' | 'runs';

/** One entry of the left navigation. */
export interface NavEntry {
  id: PageId;
  label: string;
  icon: IconName;
  /** What the page is for, in one plain sentence. */
  purpose: string;
  /** Why the page cannot be used yet; absent when it works. */
  unavailable?: string;
}

const LATER = 'Coming in a later release';

/** Every page Lithe will have; only those without `unavailable` can be opened today. */
export const NAV_ENTRIES: readonly NavEntry[] = [
  { id: 'open', label: 'Open', icon: 'open', purpose: 'Choose the model file you want to work on.' },
  { id: 'model', label: 'Model', icon: 'model', purpose: 'See what is inside the open model: its inputs, outputs and layers.', unavailable: LATER },
  { id: 'optimize', label: 'Optimize', icon: 'optimize', purpose: 'Make the model smaller and faster, step by step, and check it still gives the same answers.', unavailable: LATER },
  { id: 'benchmark', label: 'Benchmark', icon: 'benchmark', purpose: 'Measure how fast the model runs on this computer.', unavailable: LATER },
  { id: 'devices', label: 'Devices', icon: 'devices', purpose: 'Pick the phone, board or computer the model should run on.', unavailable: LATER },
  { id: 'batch', label: 'Batch', icon: 'batch', purpose: 'Optimize a whole folder of models in one go.', unavailable: LATER },
  { id: 'runs', label: 'Runs', icon: 'runs', purpose: 'Look back at earlier optimizations and their reports.', unavailable: LATER },
];
