/** IPC channel names shared by the main process and the preload. */
export const IPC = {
  invoke: 'lithe:invoke',
  cancel: 'lithe:cancel',
  progress: 'lithe:progress',
  pickModelFile: 'lithe:pick-model-file',
  pickFolder: 'lithe:pick-folder',
} as const;
