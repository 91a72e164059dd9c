/**
 * The generic worker of {@link WorkerPool}: imports the task's module (once per worker) and calls
 * the named export with the task's arguments. Task modules are plain modules of pure functions.
 */
const modules = new Map<string, Promise<Record<string, unknown>>>();

export interface WorkerTask {
  readonly module: string;
  readonly name: string;
  readonly args: unknown;
}

export default async function runTask(task: WorkerTask): Promise<unknown> {
  let m = modules.get(task.module);
  if (!m) modules.set(task.module, (m = import(task.module) as Promise<Record<string, unknown>>));
  const fn = (await m)[task.name];
  if (typeof fn !== 'function') throw new Error(`task module ${task.module} has no function ${task.name}`);
  return (fn as (a: unknown) => unknown)(task.args);
}
