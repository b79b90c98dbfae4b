/** Reading the user's files from disk for the CLI (node only). */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, isAbsolute } from 'node:path';
import { InputError } from '../../src/data/errors';
import { MAX_INPUT_BYTES } from '../../src/data/limits';

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
  const stat = statSync(path);
  if (!stat.isFile()) throw new InputError({ file: path, problem: `this is not a regular ${what} file (a device or a pipe)`, action: 'Name the file itself.' });
  if (stat.size > MAX_INPUT_BYTES) throw tooLarge(path, stat.size);
  try {
    return { name: basename(path), bytes: new Uint8Array(readFileSync(path)) };
  } catch (e) {
    throw new InputError({ file: path, problem: `the ${what} file cannot be read (${(e as { code?: string }).code ?? (e as Error).message})`, action: 'Check that you may read it.' });
  }
}


function tooLarge(path: string, size: number): InputError {
  return new InputError({
    file: path,
    problem: `the file is ${(size / 2 ** 20).toFixed(0)} MB`,
    expected: `at most ${MAX_INPUT_BYTES / 2 ** 20} MB`,
    action: 'Cut the file to the region you need (one state or metro) and try again.',
  });
}

/** What the operating system said, in words, for the errors a write can meet. */
function writeProblem(e: unknown): { problem: string; action: string } {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return { problem: 'the folder it would go in does not exist', action: 'Create the folder first, or give another --out path.' };
    case 'EISDIR':
      return { problem: 'this is a folder', action: 'Give a file name, e.g. --out result.csv.' };
    case 'ENOTDIR':
      return { problem: 'part of the path is a file, not a folder', action: 'Check the --out path.' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { problem: 'the disk is full', action: 'Free some space or write to another disk.' };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return { problem: 'tractmix may not write there', action: 'Write to a folder you own, e.g. your home folder.' };
    default:
      return { problem: `it cannot be written (${code ?? (e as Error).message})`, action: 'Check the --out path and the disk.' };
  }
}

/** Write one output file; failures become a message naming the file and what to do. */
export function writeOutputFile(path: string, text: string | Uint8Array): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError({ file: path, ...writeProblem(e) });
  }
}

/** Create the output folder of `build`. */
export function makeOutputFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new InputError({ file: path, ...writeProblem(e) });
  }
}

/** A boundary file plus, for a .shp, its sibling .dbf/.prj/.cpg (same base name, any case). */
export function readBoundaryParts(path: string, what = 'boundary'): NamedBytes[] {
  const main = readUserFile(path, what);
  if (extname(path).toLowerCase() !== '.shp') return [main];
  const dir = dirname(path);
  const base = basename(path, extname(path)).toLowerCase();
  const parts = [main];
  for (const name of readdirSync(dir)) {
    const ext = extname(name).toLowerCase();
    if (basename(name, extname(name)).toLowerCase() === base && ['.dbf', '.prj', '.cpg', '.shx'].includes(ext)) {
      parts.push({ ...readUserFile(join(dir, name), 'shapefile part'), name });
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
      // bundle.json's names are checked to be plain names; this keeps any path inside the folder too.
      const path = join(dir, file);
      const inside = relative(resolve(dir), resolve(path));
      if (inside.startsWith('..') || isAbsolute(inside)) {
        throw new InputError({ file: join(dir, 'bundle.json'), problem: 'it names a file outside the bundle folder', expected: 'file names inside the folder', action: 'Rebuild the bundle with `tractmix build`.' });
      }
      if (!existsSync(path)) throw new InputError({ file: path, problem: 'a file the bundle lists is missing', action: 'Rebuild the bundle with `tractmix build`.' });
      const size = statSync(path);
      if (!size.isFile()) throw new InputError({ file: path, problem: 'a file the bundle lists is not a file', action: 'Rebuild the bundle with `tractmix build`.' });
      if (size.size > MAX_INPUT_BYTES) throw tooLarge(path, size.size);
      return readFileSync(path);
    }),
  );
}
