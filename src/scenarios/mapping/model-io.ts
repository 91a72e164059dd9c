import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { gitCommit, packageVersion } from '../../io/paths.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { modelFromDocument, modelToDocument, ModelFileError, type MappingModel } from '../../learning/index.js';

/** Write a model file atomically (JSON, versioned; see learning/model-file.ts). */
export function writeModelFile(path: string, model: MappingModel, meta: Record<string, unknown> = {}): void {
  const doc = modelToDocument(model, { rhizocarbVersion: packageVersion(), gitCommit: gitCommit() ?? null, createdAt: new Date().toISOString(), ...meta });
  writeFileAtomic(path, JSON.stringify(doc) + '\n');
}

/** Read a model file; any problem is an InputError naming the file. */
export function readModelFile(path: string): MappingModel {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError({ file: path, expected: 'a rhizocarb model file (JSON)', detail: (e as Error).message });
  }
  try {
    return modelFromDocument(doc, path);
  } catch (e) {
    if (e instanceof ModelFileError) throw new InputError({ file: path, expected: 'a model file this rhizocarb can read', detail: e.message.slice(path.length + 2) });
    throw e;
  }
}
