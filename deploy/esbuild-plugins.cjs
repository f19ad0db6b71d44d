// serverless-esbuild `plugins`: a function of the Serverless instance that returns esbuild plugins. It is
// loaded with require(), hence CommonJS.
//
// serverless-esbuild gives every function the same esbuild options, so a `define` in serverless.yml would bake
// the whole configuration into every bundle. This plugin defines `__EKSOPS_CONFIG__` per function instead, as
// deploy/config-projection.ts projects it: each bundle holds only the configuration sections its function reads
// (and the configuration holds no secret, only the names of SSM parameters and Secrets Manager secrets).
const path = require('node:path');

module.exports = (serverless) => {
  const serviceDir = serverless.serviceDir ?? serverless.config.servicePath;
  const configs = serverless.service.custom.deployment.functionConfigs;
  // functions/<dir>/handler → function name, from the handlers serverless.yml declares.
  const byModule = new Map();
  for (const [name, definition] of Object.entries(serverless.service.functions ?? {})) {
    if (typeof definition.handler !== 'string') continue;
    byModule.set(definition.handler.slice(0, definition.handler.lastIndexOf('.')), name);
  }
  return [
    {
      name: 'eksops-function-config',
      setup(build) {
        const entries = Array.isArray(build.initialOptions.entryPoints) ? build.initialOptions.entryPoints : Object.values(build.initialOptions.entryPoints ?? {});
        const entry = entries[0];
        const file = typeof entry === 'string' ? entry : entry?.in;
        if (entries.length !== 1 || typeof file !== 'string') throw new Error('eksops-function-config: expected one entry point per function build');
        const relative = path.relative(serviceDir, path.resolve(serviceDir, file)).split(path.sep).join('/');
        const name = byModule.get(relative.slice(0, relative.length - path.extname(relative).length));
        const config = name === undefined ? undefined : configs[name];
        if (config === undefined) throw new Error(`eksops-function-config: no configuration projection for ${relative} (deploy/config-projection.ts)`);
        build.initialOptions.define = { ...build.initialOptions.define, __EKSOPS_CONFIG__: config };
      },
    },
  ];
};
