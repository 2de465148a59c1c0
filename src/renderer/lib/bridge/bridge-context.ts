import { getContext, setContext } from 'svelte';
import type { RendererApi } from './renderer-api';

const KEY = Symbol('lithe-api');

/** Makes the contract available to every component below the caller. */
export function provideLithe(api: RendererApi): void {
  setContext(KEY, api);
}

/** The contract, as provided by the app shell. */
export function useLithe(): RendererApi {
  const api = getContext<RendererApi | undefined>(KEY);
  if (!api) throw new Error('useLithe() called outside the Lithe app shell.');
  return api;
}
