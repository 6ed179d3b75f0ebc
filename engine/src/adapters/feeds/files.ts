/** Reads normalised OHLCV CSV files (plain or gzip) into columnar bar series. */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parseOhlcvCsv, type ColumnarBars } from './columns.ts';

const cache = new Map<string, Promise<ColumnarBars>>();

/** Loads a `.csv` or `.csv.gz` file; repeated loads of the same path share one parsed series. */
export function loadBarsFile(path: string): Promise<ColumnarBars> {
  let pending = cache.get(path);
  if (!pending) {
    pending = readBars(path);
    cache.set(path, pending);
    pending.catch(() => cache.delete(path));
  }
  return pending;
}

async function readBars(path: string): Promise<ColumnarBars> {
  const raw = await readFile(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return parseOhlcvCsv(text, path);
}
