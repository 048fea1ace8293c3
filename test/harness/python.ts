import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The project's Python: the pinned virtualenv made by scripts/bootstrap.sh, else PYTHON, else python3. */
export function projectPython(): string {
  if (process.env.PYTHON) return process.env.PYTHON;
  const venvPython = join(__dirname, '..', '..', '.venv', 'bin', 'python3');
  return existsSync(venvPython) ? venvPython : 'python3';
}
