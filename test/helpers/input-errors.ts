import { InputError, InputErrors } from '../../src/core/errors.js';

/** The messages of the InputError(s) thrown by f (empty if it does not throw); other errors propagate. */
export function inputErrorMessages(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => x.message);
    if (e instanceof InputError) return [e.message];
    throw e;
  }
  return [];
}
