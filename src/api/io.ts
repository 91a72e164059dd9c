/** Public API, namespace `io`: files in and out: CSV, tables (CSV, Parquet), plots (SVG, PNG), atomic result folders, package paths. Listed in docs/API.md (a test compares). */
export {
  readTextFile,
  readCsvFile,
  tableToCsv,
  tableToParquet,
  tableDictionaryCsv,
  lineChartSvg,
  svgToPng,
  StagedOutputDir,
  RESULT_MARKER,
  readResultMarker,
  checkOutputFile,
  writeFileAtomic,
  dataPath,
  packageVersion,
  gitCommit,
} from '../io/index.js';
export type {
  Table,
  Column,
  LineChart,
  Series,
  PngOptions,
  OutputTargetOptions,
  ResultMarker,
} from '../io/index.js';
