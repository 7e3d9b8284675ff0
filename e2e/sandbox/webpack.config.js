// Builds the sandbox check page (e2e/sandbox/page.ts) for the browser test: the same loaders
// and resolution as the game's build, so QuickJS's WebAssembly reaches the page the way it
// would reach the game — as an asset webpack emits next to the bundle.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import gameConfig from '../../webpack.config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** @returns {import('webpack').Configuration} */
export default (env, argv) => {
  const base = gameConfig(env, { ...argv, mode: 'production' });
  return {
    ...base,
    mode: 'production',
    entry: { page: path.join(root, 'e2e/sandbox/page.ts') },
    output: { ...base.output, path: path.join(root, 'artifacts/e2e-sandbox') },
    plugins: [
      new HtmlWebpackPlugin({
        title: 'Hyperkata sandbox check',
        inject: 'body',
        templateContent:
          '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Hyperkata sandbox check</title>' +
          '<style>body{font:14px system-ui;margin:16px;background:#0d1b24;color:#e6eef2}' +
          'table{border-collapse:collapse}td,th{border:1px solid #3a5566;padding:4px 8px;text-align:left}' +
          '</style></head><body><h1>Untrusted plugin in the sandbox, in this browser</h1></body></html>',
      }),
    ],
    devServer: undefined,
  };
};
