#!/usr/bin/env node
// A plain static file server for the production build: proves dist/ works from any static host.
import http from 'node:http';
import handler from 'serve-handler';

const [dir = 'dist', port = '4173'] = process.argv.slice(2);
http
  .createServer((req, res) => void handler(req, res, { public: dir }))
  .listen(Number(port), '127.0.0.1', () => {
    console.log(`serving ${dir} on http://127.0.0.1:${port}`);
  });
