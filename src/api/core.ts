/** Public API, namespace `core`: units, errors, the parameter registry, shipped-data access, CSV parsing. Listed in docs/API.md (a test compares). */
export {
  InputError,
  InputErrors,
  InterruptedError,
  formatValue,
  declareParams,
  paramRegistry,
  paramSpec,
  paramsMarkdown,
  setPackageDataReader,
  readPackageData,
  parseCsv,
  CM_PER_HPA,
  MOLAR_MASS_C_G_PER_MOL,
  SECONDS_PER_DAY,
  cmToHPa,
  hPaToCm,
} from '../core/index.js';
export type {
  ParamSpec,
  CsvTable,
  CsvOptions,
  PackageDataReader,
  PackageDataText,
} from '../core/index.js';
