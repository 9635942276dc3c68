/**
 * The URL of the worker script `name`.js beside the module at `moduleUrl`. The library runs
 * from dist/, where the script sits beside its module; under the test runner modules run from
 * src/*.ts, which a thread cannot load, and the built copy in dist/ is used (npm test builds
 * first).
 */
export function workerScript(moduleUrl: string, name: string): URL {
  const url = new URL(`./${name}.js`, moduleUrl);
  if (!moduleUrl.endsWith('.ts')) return url;
  const at = url.pathname.lastIndexOf('/src/');
  return new URL(`${url.pathname.slice(0, at)}/dist/${url.pathname.slice(at + '/src/'.length)}`, url);
}
