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

/** A bundle folder made by `tractmix build` (or the demo), read as the app reads it. */
export async function readBundleFolder(dir: string): Promise<import('../../src/data/dataset').Dataset> {
  const { loadBundle, BUNDLE_META_FILE } = await import('../../src/data/bundle');
  const { datasetFromBundle } = await import('../../src/data/dataset');
  if (!existsSync(join(dir, BUNDLE_META_FILE))) {
    throw new InputError({
      file: dir,
      problem: `there is no ${BUNDLE_META_FILE} in this folder`,
      expected: 'a dataset bundle folder made by `tractmix build` (or data/demo)',
      action: 'Point --bundle at the folder that holds bundle.json.',
    });
  }
  return datasetFromBundle(
    await loadBundle(async (file) => {
      const path = join(dir, file);
      if (!existsSync(path)) throw new InputError({ file: path, problem: 'a file the bundle lists is missing', action: 'Rebuild the bundle with `tractmix build`.' });
      return readFileSync(path, 'utf8');
    }),
  );
}
