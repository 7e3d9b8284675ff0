// Builds the browser game (game/main.ts). `npm start` serves it with the dev server,
// `npm run build` writes a static, offline-capable production build to dist/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @returns {import('webpack').Configuration & { devServer?: import('webpack-dev-server').Configuration }} */
export default (_env, argv) => {
  const production = argv.mode === 'production';
  return {
    mode: production ? 'production' : 'development',
    entry: { main: path.join(root, 'game/main.ts') },
    output: {
      path: path.join(root, 'dist'),
      filename: production ? '[name].[contenthash:8].js' : '[name].js',
      chunkFilename: production ? '[name].[contenthash:8].js' : '[name].js',
      publicPath: '',
      clean: true,
    },
    devtool: production ? false : 'eval-cheap-module-source-map',
    resolve: {
      extensions: ['.ts', '.js'],
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: {
              transpileOnly: true,
              // transpileOnly compiles each file alone and cannot see package.json "type": "module",
              // so NodeNext would emit CommonJS; webpack would then take the `require` builds of
              // our dependencies (Phaser's 8 MB UMD file, zod with every locale). Emit ES modules.
              compilerOptions: {
                noEmit: false,
                sourceMap: !production,
                module: 'esnext',
                moduleResolution: 'bundler',
              },
            },
          },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({ template: path.join(root, 'game/index.html'), inject: 'body' }),
    ],
    performance: { hints: false },
    devServer: {
      host: 'localhost',
      port: Number(process.env.PORT ?? 8080),
      open: false,
      hot: false,
      client: { overlay: { errors: true, warnings: false } },
    },
  };
};
