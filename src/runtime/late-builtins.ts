// node:http and node:https, loaded on first use instead of with the module that uses them: their
// parser binding cannot be serialized, so a module that loads them as it is evaluated cannot be part
// of the start-up snapshot that `run`, `validate` and `plan` start from (docs/start-up.md).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const nodeHttp = (): typeof import('node:http') => require('node:http') as typeof import('node:http');
export const nodeHttps = (): typeof import('node:https') => require('node:https') as typeof import('node:https');
