/**
 * The Planvas board file (JSON): `exportBoardJson` (the whole board), `parseBoardJson`
 * (validate a file completely into a fresh Y.Doc, every problem reported) and
 * `importBoardJson` (make a board's content the file's in one transaction). Format: format.ts.
 */
export { BOARD_FILE_FORMAT, BOARD_FILE_VERSION, BOARD_FILE_LIMITS, type BoardFile } from './format.ts';
export { exportBoardJson, boardFileOf } from './export.ts';
export { parseBoardJson, type BoardJsonResult, type BoardFileCounts, type ParseOptions } from './parse.ts';
export { importBoardJson } from './apply.ts';
