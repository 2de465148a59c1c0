import type { IconName } from '../../components/icons';

/** The pages of the app, in navigation order. */
export type PageId = 'open' | 'model' | 'graph' | 'optimize' | 'search' | 'benchmark' | 'devices' | 'batch' | 'runs';

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

/** Every page of Lithe; an entry with `unavailable` is shown but cannot be opened. */
export const NAV_ENTRIES: readonly NavEntry[] = [
  { id: 'open', label: 'Open', icon: 'open', purpose: 'Choose the model file you want to work on.' },
  { id: 'model', label: 'Model', icon: 'model', purpose: 'See what is inside the open model: its inputs, outputs and layers.' },
  {
    id: 'graph',
    label: 'Graph',
    icon: 'graph',
    purpose: 'The model drawn as a graph, coloured by what an optimization did to each layer.',
  },
  {
    id: 'optimize',
    label: 'Optimize',
    icon: 'optimize',
    purpose: 'Make the model smaller and faster, step by step, and check it still gives the same answers.',
  },
  {
    id: 'search',
    label: 'Find the best',
    icon: 'search',
    purpose: 'Try every kind of smaller or faster version, time each on this computer and keep the best for your goal.',
  },
  { id: 'benchmark', label: 'Benchmark', icon: 'benchmark', purpose: 'Measure how fast the model runs on this computer.' },
  {
    id: 'devices',
    label: 'Devices',
    icon: 'devices',
    purpose: 'The phones, boards and computers a model could run on, and how fast it would be there.',
  },
  { id: 'batch', label: 'Batch', icon: 'batch', purpose: 'Optimize a whole folder of models in one go.' },
  { id: 'runs', label: 'Runs', icon: 'runs', purpose: 'Look back at earlier optimizations and their reports.' },
];
