// Serverless variable source: `${file(./deploy/config.cjs):deployment.KEY}`. Loads eksops.config.yml (or the
// file named by EKSOPS_CONFIG_FILE) and validates it with the same schema the functions use, so an invalid
// configuration stops `sls package` / `sls deploy` before anything is built. The Serverless Framework loads
// variable files with require(), hence CommonJS here; the schema itself is ESM TypeScript, loaded with tsx.
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function configPath() {
  if (process.env.EKSOPS_CONFIG_FILE) return path.resolve(process.env.EKSOPS_CONFIG_FILE);
  const own = path.join(root, 'eksops.config.yml');
  if (existsSync(own)) return own;
  if (process.argv.includes('deploy')) {
    throw new Error('eksops.config.yml is missing: copy eksops.config.example.yml to eksops.config.yml and edit it before deploying');
  }
  // Packaging without a configuration of one's own (CI, a first look) uses the documented example.
  return path.join(root, 'eksops.config.example.yml');
}

let loaded;

module.exports.deployment = async () => {
  if (!loaded) {
    const { tsImport } = require('tsx/esm/api');
    const { loadDeployment } = await tsImport('./deployment.ts', __filename);
    loaded = await loadDeployment(configPath());
  }
  return loaded;
};
