import { getContext, setContext } from 'svelte';
import type { LitheApi } from '../../../contract';

const KEY = Symbol('lithe-api');

/** Makes the contract available to every component below the caller. */
export function provideLithe(api: LitheApi): void {
  setContext(KEY, api);
}

/** The contract, as provided by the app shell. */
export function useLithe(): LitheApi {
  const api = getContext<LitheApi | undefined>(KEY);
  if (!api) throw new Error('useLithe() called outside the Lithe app shell.');
  return api;
}
