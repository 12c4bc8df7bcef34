import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's root directory, found from this file whether it runs from source (jest) or compiled into
 * dist/ (the chaos runner): the first directory up that holds package.json and scripts/lib.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'lib'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}
