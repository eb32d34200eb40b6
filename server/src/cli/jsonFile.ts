import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

/** A JSON file given on the command line, read from the working directory; a clear error otherwise. */
export function readJsonFile(file: string): unknown {
  const where = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch (error) {
    throw new AppError(
      'bad_request',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('bad_request', `${file} is not valid JSON: ${(error as Error).message}`);
  }
}
