import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { RESULT_MARKER, StagedOutputDir, checkOutputFile, cleanStaleStaging } from '../../src/io/atomic.js';
import { packageRoot } from '../../src/io/paths.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-atomic-'));
const opts = { kind: 'test', version: '0.0.0', label: '--out', protect: [packageRoot()] };

function write(target: string, files: Record<string, string>): void {
  const out = new StagedOutputDir(target, opts);
  for (const [k, v] of Object.entries(files)) out.write(k, v);
  out.commit();
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('output folders: only a previous rhizocarb result is ever replaced', () => {
  it('a new folder gets the files and a marker listing them; a result folder is replaced atomically', () => {
    const dir = join(tmp(), 'out');
    write(dir, { 'summary.json': '{}', 'plots/a.svg': '<svg/>' });
    const marker = JSON.parse(readFileSync(join(dir, RESULT_MARKER), 'utf8'));
    expect(marker).toMatchObject({ format: 'rhizocarb-result', formatVersion: 1, kind: 'test', version: '0.0.0', files: ['plots/a.svg', 'summary.json'] });
    expect(Date.parse(marker.created)).toBeGreaterThan(0);
    write(dir, { 'summary.json': '{"second":true}' });
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('{"second":true}');
    expect(existsSync(join(dir, 'plots'))).toBe(false);
    expect(readdirSync(join(dir, '..')).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('--out onto a folder holding a user file is refused with the reason, and the file survives', () => {
    const dir = join(tmp(), 'notes');
    mkdirSync(dir);
    writeFileSync(join(dir, 'my-notes.txt'), 'field notes');
    const m = refusal(() => new StagedOutputDir(dir, opts));
    expect(m).toMatch(/--out: got ".*notes", expected a new or empty folder, or a previous rhizocarb result \(it holds files that are not a rhizocarb result: my-notes\.txt/);
    expect(readFileSync(join(dir, 'my-notes.txt'), 'utf8')).toBe('field notes');
    expect(readdirSync(join(dir, '..'))).toEqual(['notes']);
  });

  it('a result folder to which the user added a file is refused too (the file is named)', () => {
    const dir = join(tmp(), 'out');
    write(dir, { 'summary.json': '{}' });
    writeFileSync(join(dir, 'analysis.R'), 'x <- 1');
    expect(refusal(() => new StagedOutputDir(dir, opts))).toMatch(/holds files the result did not write: analysis\.R/);
    expect(existsSync(join(dir, 'analysis.R'))).toBe(true);
  });

  it('an empty existing folder is filled', () => {
    const dir = join(tmp(), 'empty');
    mkdirSync(dir);
    write(dir, { 'summary.json': '{}' });
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  });

  it('refuses ., "", /, the home folder, the package folder, an existing file, a path below a file, an input, a pseudo file system', () => {
    const d = tmp();
    writeFileSync(join(d, 'file.txt'), 'x');
    const cases: [string, RegExp, string[]?][] = [
      ['.', /not the current folder nor one of its parents/],
      ['', /expected a folder name \(an empty path would mean the current folder\)/],
      ['/', /below the file-system root/],
      [homedir(), /not your home folder/],
      [packageRoot(), /not the current folder|not the rhizocarb package folder/],
      [join(d, 'file.txt'), /is an existing file/],
      [join(d, 'file.txt', 'sub'), /whose parent is a folder \(.*file\.txt is a file\)/],
      [d, /does not hold an input of this run/, [join(d, 'file.txt')]],
      ['/proc/rhizocarb-out', /on a regular file system \(\/proc is a pseudo file system\)/],
    ];
    for (const [target, re, inputs] of cases) {
      expect(refusal(() => new StagedOutputDir(target, { ...opts, inputs })), target).toMatch(re);
    }
    expect(readdirSync(d)).toEqual(['file.txt']);
    expect(refusal(() => checkOutputFile(d))).toMatch(/is a folder/);
    expect(refusal(() => checkOutputFile(join(d, 'in.csv'), { inputs: [join(d, 'in.csv')] }))).toMatch(/does not hold an input/);
  });

  it('a staging folder of a dead process is removed by the next run into the target; a half-committed previous result is put back', () => {
    const parent = tmp();
    const target = join(parent, 'out');
    write(target, { 'summary.json': '{"v":1}' });
    const pid = deadPid();
    const stale = join(parent, `.out.partial-${pid}-abcd1234`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'half.csv'), 'a');
    const live = join(parent, `.out.partial-${process.pid}-beef0000`);
    mkdirSync(live);
    expect(cleanStaleStaging(target)).toEqual([stale]);
    expect(existsSync(live)).toBe(true);
    // Killed between the two renames of a commit: the target is gone, the old result sits in `.old`.
    const old = join(parent, `.out.partial-${pid}-0123abcd.old`);
    mkdirSync(old);
    writeFileSync(join(old, 'summary.json'), '{"v":0}');
    const other = join(tmp(), 'x');
    expect(cleanStaleStaging(other)).toEqual([]);
    const t2 = join(parent, 'out2');
    const old2 = join(parent, `.out2.partial-${pid}-0123abcd.old`);
    mkdirSync(old2);
    writeFileSync(join(old2, 'summary.json'), '{"v":0}');
    cleanStaleStaging(t2);
    expect(readFileSync(join(t2, 'summary.json'), 'utf8')).toBe('{"v":0}');
  });
});
