import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Python that runs moto and cfn-lint: PYTHON when set, else the pinned virtualenv made by scripts/bootstrap.sh
 * (in this package's checkout, then in the current directory), else python3 on PATH.
 */
export function projectPython(): string {
  if (process.env.PYTHON) return process.env.PYTHON;
  // Compiled to lib-cli/ and run from cli/: the package root is one level up either way.
  const candidates = [join(__dirname, '..', '.venv', 'bin', 'python3'), join(process.cwd(), '.venv', 'bin', 'python3')];
  return candidates.find((candidate) => existsSync(candidate)) ?? 'python3';
}
