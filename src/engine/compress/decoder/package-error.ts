/** Why a package could not be decoded. */
export type PackageErrorCode = 'not-a-package' | 'unsupported-version' | 'truncated' | 'corrupt' | 'checksum' | 'too-large';

/**
 * A `.lithe` package that cannot be decoded: the code says what kind of problem, the message says
 * where (header, section number and type, tensor) in words a person can act on.
 */
export class PackageError extends Error {
  readonly code: PackageErrorCode;

  constructor(code: PackageErrorCode, message: string) {
    super(message);
    this.name = 'PackageError';
    this.code = code;
  }
}
