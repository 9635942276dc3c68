import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The URL of the worker script `name`.js beside the module at `moduleUrl`, or undefined when
 * it is not there (a bundler that inlined the modules left the script behind): the caller then
 * does the work on its own thread. The library runs from dist/, where the script sits beside
 * its module; under the test runner modules run from src/*.ts, which a thread cannot load, and
 * the built copy in dist/ is used (npm test builds first).
 */
export function workerScript(moduleUrl: string, name: string): URL | undefined {
  let url = new URL(`./${name}.js`, moduleUrl);
  if (moduleUrl.endsWith('.ts')) {
    const at = url.pathname.lastIndexOf('/src/');
    url = new URL(`${url.pathname.slice(0, at)}/dist/${url.pathname.slice(at + '/src/'.length)}`, url);
  }
  return url.protocol === 'file:' && fs.existsSync(fileURLToPath(url)) ? url : undefined;
}
