/**
 * The `.lithe` package decoder: turns a package back into the exact model file it was made from.
 * Self-contained — it imports nothing outside this folder (no Node built-ins, no libraries), so an
 * app can copy the folder and embed it. Format: docs/lithe-package.md.
 * @module
 */
export {
  decodePackage,
  isPackage,
  readPackageHeader,
  type DecodedPackage,
  type DecodeOptions,
  type PackageHeader,
  type PackageSection,
} from './decode-package';
export { PackageError, type PackageErrorCode } from './package-error';
