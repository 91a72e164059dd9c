/**
 * Data shipped with the package (its `data/` folder), as text. `core` and the models read no files
 * (they must run in a browser and in worker threads): the host installs a reader. In Node,
 * importing rhizocarb's `io` module (the package entry, the CLI and the scenarios all do) installs
 * one that reads `data/` of the installed package; a browser or worker host calls
 * {@link setPackageDataReader} with its own (bundled strings, a synchronous cache, …).
 */
export interface PackageDataText {
  readonly text: string;
  /** Where the text came from, for error messages (an absolute path in Node). */
  readonly source: string;
}

export type PackageDataReader = (relative: string) => PackageDataText;

let reader: PackageDataReader | undefined;

export function setPackageDataReader(r: PackageDataReader): void {
  reader = r;
}

/** Text of `data/<relative>`; throws when no reader is installed (a set-up error, not input). */
export function readPackageData(relative: string): PackageDataText {
  if (!reader) throw new Error(`rhizocarb data file ${relative} requested, but no data reader is installed: import 'rhizocarb' (or its io module) first, or call setPackageDataReader`);
  return reader(relative);
}
