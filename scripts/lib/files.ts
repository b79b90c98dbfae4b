/** Reading the user's files from disk for the CLI (node only). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { InputError } from '../../src/data/errors';

export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export function readUserFile(path: string, what: string): NamedBytes {
  if (!existsSync(path)) {
    throw new InputError({ file: path, problem: `the ${what} file does not exist`, action: 'Check the path (it is relative to the current folder).' });
  }
  if (statSync(path).isDirectory()) {
    throw new InputError({ file: path, problem: `this is a folder, not a ${what} file`, action: 'Name the file inside it.' });
  }
  return { name: basename(path), bytes: new Uint8Array(readFileSync(path)) };
}

/** A boundary file plus, for a .shp, its sibling .dbf/.prj/.cpg (same base name, any case). */
export function readBoundaryParts(path: string): NamedBytes[] {
  const main = readUserFile(path, 'boundary');
  if (extname(path).toLowerCase() !== '.shp') return [main];
  const dir = dirname(path);
  const base = basename(path, extname(path)).toLowerCase();
  const parts = [main];
  for (const name of readdirSync(dir)) {
    const ext = extname(name).toLowerCase();
    if (basename(name, extname(name)).toLowerCase() === base && ['.dbf', '.prj', '.cpg', '.shx'].includes(ext)) {
      parts.push({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) });
    }
  }
  return parts;
}
