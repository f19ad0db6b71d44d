import { productionDeps } from '../../shared/runtime/production.ts';
import { makeHandler } from './app.ts';

export const handler = makeHandler(productionDeps());
