// electron-builder afterPack hook (electron-builder.yml: afterPack): flips Electron's fuses in the
// packaged binary, after packing and before signing, so the OS's code signature then covers them.
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** Every fuse @electron/fuses knows, set explicitly; true = the feature is on. */
export const LITHE_FUSES = {
  // ON, unlike the rest of the checklist: the engine's job and benchmark children are started with
  // child_process.fork (src/engine/jobs/fork-child.ts) from a job's worker thread, which in Electron
  // needs ELECTRON_RUN_AS_NODE. utilityProcess, the replacement, can only be started from the main
  // thread of the main process, not from a worker thread.
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Checked by Electron on macOS and Windows (electron-builder writes the hash of app.asar's header).
  // Files unpacked beside it (asarUnpack: onnxruntime-node, out/main) are outside that check.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The window loads app://lithe/ (src/main/app-protocol.ts), never file://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The Electron binary electron-builder wrote for this platform (as its own addElectronFuses finds it). */
export function electronBinaryOf(context) {
  const platform = context.electronPlatformName;
  const name = platform === 'linux' ? context.packager.executableName : context.packager.appInfo.productFilename;
  const extension = { darwin: '.app', mas: '.app', win32: '.exe', linux: '' }[platform];
  if (extension === undefined) throw new Error(`after-pack: no Electron binary known for platform ${platform}`);
  return join(context.appOutDir, `${name}${extension}`);
}

/** The hook: flips {@link LITHE_FUSES} in the packaged Electron binary. */
export async function afterPack(context) {
  // electron-builder's Arch enum: 3 is arm64. An unsigned arm64 macOS app needs its ad-hoc signature renewed.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === 3;
  await flipFuses(electronBinaryOf(context), { version: FuseVersion.V1, resetAdHocDarwinSignature, ...LITHE_FUSES });
}
